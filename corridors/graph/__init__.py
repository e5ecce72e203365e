"""The multimodal state graph: built from a network (build.py), compiled to arrays (compile.py)."""
