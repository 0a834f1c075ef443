// Placeholder; replaced by the Arena work.
