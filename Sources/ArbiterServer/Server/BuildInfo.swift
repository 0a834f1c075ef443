/// What this build is: `--version`, the startup line and `arbiter_build_info`.
public enum BuildInfo {
    /// The release version, bumped by hand when a release is tagged.
    public static let version = "0.9.0"

    /// `debug` or `release`.
    public static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
}
