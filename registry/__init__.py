"""open-model-registry: the `registry` command line front."""
