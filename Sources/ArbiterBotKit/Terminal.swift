#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The controlling terminal for the full-screen view: raw mode (termios) and the alternate
/// screen, both undone by `restore`, and the window size from TIOCGWINSZ.
public final class Terminal: @unchecked Sendable {
    private var saved: termios?
    private let input: Int32
    private let output: Int32

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Columns and rows, or nil when the output is not a terminal.
    public func size() -> (columns: Int, rows: Int)? {
        var size = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard withUnsafeMutablePointer(to: &size, { ioctl(output, request, $0) }) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Raw input (no echo, no line buffering, keys one by one; Ctrl-C arrives as a byte) and
    /// the alternate screen with the cursor hidden.
    public func enter() {
        var attributes = termios()
        if tcgetattr(input, &attributes) == 0 {
            saved = attributes
            cfmakeraw(&attributes)
            // Keep output processing so a stray "\n" from elsewhere still returns the carriage.
            attributes.c_oflag |= tcflag_t(OPOST)
            tcsetattr(input, TCSAFLUSH, &attributes)
        }
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    }

    /// Back to the normal screen and the saved terminal settings. Safe to call twice.
    public func restore() {
        write("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        if var saved {
            tcsetattr(input, TCSAFLUSH, &saved)
            self.saved = nil
        }
    }

    /// Draws `lines` from the top-left corner, each positioned explicitly so a line exactly as
    /// wide as the screen never wraps or scrolls; `clear` wipes leftovers after a resize.
    public func draw(_ lines: [String], clear: Bool) {
        var frame = clear ? "\u{1B}[2J" : ""
        for (index, line) in lines.enumerated() {
            frame += "\u{1B}[\(index + 1);1H" + line
        }
        write(frame)
    }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(output, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                Darwin.write(output, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
