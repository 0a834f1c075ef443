// Placeholder; replaced by the SchemaCompiler work.
