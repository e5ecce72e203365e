"""The corridors REST service (FastAPI).  Depends on the library; the library never imports it."""
