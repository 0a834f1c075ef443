import ArenaServer
import ArgumentParser

/// `arbiter-server ticket`: prints a signed join ticket (Protocol/README.md §7.3) in base64url,
/// for tests and as the reference for a backend written in another language.
struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-server ticket",
        abstract: "Prints a join ticket signed with the server's join secret (base64url; the browser client takes it from /#ticket=).")

    @Option(help: "The join secret, as given to the server's --join-secret.")
    var secret: String

    @Option(help: "The player's name; the client must send exactly this name (after the name policy).")
    var name: String

    @Option(help: "The room the ticket admits to; any room when left out.")
    var room: UInt32?

    @Option(help: "Seconds the ticket stays valid.")
    var ttl: UInt64 = 600

    func validate() throws {
        guard secret.utf8.count >= 16 else { throw ValidationError("--secret must be at least 16 bytes") }
        guard NamePolicy.validated(name) != nil else { throw ValidationError("--name breaks the name policy (Protocol/README.md §7.1)") }
        guard room != 0 else { throw ValidationError("--room must be a room id (1 or more)") }
    }

    func run() throws {
        guard let ticket = JoinTicket.mint(secret: Array(secret.utf8), name: name, room: room, ttl: ttl) else {
            throw ValidationError("--name breaks the name policy (Protocol/README.md §7.1)")
        }
        print(ticket)
    }
}
