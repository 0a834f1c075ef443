// Placeholder; replaced by the ArbiterServer work.
