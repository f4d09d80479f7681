"""Diffusion schedule and sampler, networks, pipelines, weights I/O (torch lives here and above)."""
