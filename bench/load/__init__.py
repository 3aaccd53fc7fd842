"""The load benchmark's pieces (``python bench/bench_load.py`` is the command line): one
job a module, see bench_load.py's docstring."""
