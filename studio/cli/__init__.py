"""The command line: python -m studio ... / choreo-studio ..."""
