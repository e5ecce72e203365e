"""One router per resource: health, network, routes."""
