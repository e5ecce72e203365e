"""Reading and validating the network data files (see network_data/README.md for the schemas)."""

from corridors.data.load import default_data_dir, load_network

__all__ = ["default_data_dir", "load_network"]
