"""Risk and policy on the route: sanctions exposure, security, insurance and trade regimes.

:mod:`corridors.risk.model` holds the attributes, :mod:`corridors.risk.load` reads them from
``network_data/risk/``, :mod:`corridors.risk.pricing` prices them per shipper profile.
"""
