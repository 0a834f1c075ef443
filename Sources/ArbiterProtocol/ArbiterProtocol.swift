// Placeholder; replaced by the ArbiterProtocol work.
