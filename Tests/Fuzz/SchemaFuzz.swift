import SchemaCompiler

/// libFuzzer target: the schema compiler on arbitrary text. It must either refuse with a
/// `SchemaError` or give a schema whose hash and Swift and JavaScript codecs can be made. No
/// input may crash or hang it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    guard let schema = try? SchemaParser.parse(text, file: "fuzz.schema") else { return 0 }
    _ = SwiftEmitter(schema: schema, sourcePath: "fuzz.schema", importsRuntime: true).emit()
    _ = JavaScriptEmitter(schema: schema, sourcePath: "fuzz.schema", runtime: "./").emit()
    _ = schema.hashHex
    return 0
}
