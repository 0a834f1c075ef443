// Placeholder; replaced by the ArbiterClient work.
