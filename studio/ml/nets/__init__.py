"""Networks: the music-conditioned FiLM transformer denoiser, the body and hand experts, the refine net."""
