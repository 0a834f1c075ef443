import ArbiterServer
import ArbiterSettings
import ArgumentParser

/// `arbiter-server deploy dockerfile|fleet|autoscaler|service`: prints a file that runs this
/// server, from the same settings the server itself parses (every server setting, and
/// `--config FILE`, is accepted here too; the shell's ARBITER_* variables are not read, so they
/// cannot leak into a manifest), so the port, health paths and drain timeout are the server's.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arbiter-server deploy",
        abstract: "Prints a Dockerfile or Kubernetes manifests for this server.",
        usage: """
            arbiter-server deploy dockerfile|fleet|autoscaler|service [--image <image>] [--name <name>] \
            [--replicas <n>] [--buffer-size <n>] [--min-replicas <n>] [--max-replicas <n>] [--player-tracking] [--config FILE] \
            [--SETTING VALUE ...]
            """,
        discussion: """
            dockerfile: a multi-stage build (Swift builder, slim runtime, non-root user); build from the package root.
            fleet: an Agones Fleet.  autoscaler: an Agones FleetAutoscaler (buffer policy).
            service: a plain Kubernetes Deployment and Service.
            Server options given here (e.g. --port, --drain-timeout, --map) become the container's \
            ARBITER_* variables (see `arbiter-server --help` for the settings). \
            Example: arbiter-server deploy fleet --image registry.example/arbiter:1.0 > fleet.yaml
            """
    )

    @Argument(help: "dockerfile, fleet, autoscaler or service.")
    var kind: Deployment.Kind

    @Option(help: "Container image reference.")
    var image = deploymentDefaults.image

    @Option(help: "Name of the Fleet, Deployment and Service.")
    var name = deploymentDefaults.name

    @Option(help: "Replicas of the Fleet or Deployment.")
    var replicas = deploymentDefaults.replicas

    @Option(help: "Ready game servers the autoscaler keeps in reserve.")
    var bufferSize = deploymentDefaults.bufferSize

    @Option(help: "Fewest game servers the autoscaler keeps.")
    var minReplicas = deploymentDefaults.minReplicas

    @Option(help: "Most game servers the autoscaler creates.")
    var maxReplicas = deploymentDefaults.maxReplicas

    @Flag(help: "fleet: declare Agones player tracking (alpha; needs the PlayerTracking feature gate).")
    var playerTracking = deploymentDefaults.playerTracking

    @Option(help: "A kubernetes.io/tls Secret to mount: the server then serves HTTPS/WSS from its tls.crt and tls.key. Leave out when TLS ends at the load balancer.")
    var tlsSecret: String?

    /// Server settings for the container, read by `ServerSettings` as `arbiter-server` reads them.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settings: [String] = []

    func run() throws {
        print(try self.deployment().render(self.kind), terminator: "")
    }

    func deployment() throws -> Deployment {
        if self.tlsSecret != nil, self.kind != .fleet, self.kind != .service {
            throw ValidationError("--tls-secret is for the manifests that run pods: fleet or service")
        }
        var configuration = try ServerSettings.load(arguments: self.settings, environment: [:]).configuration
        // In a container the server listens on every interface and logs JSON.
        configuration.host = "0.0.0.0"
        configuration.logFormat = .json
        if self.tlsSecret != nil {
            configuration.tlsCertificateFile = Deployment.tlsFolder + "/tls.crt"
            configuration.tlsKeyFile = Deployment.tlsFolder + "/tls.key"
        }
        var deployment = Deployment(configuration: configuration)
        deployment.tlsSecret = self.tlsSecret
        deployment.image = self.image
        deployment.name = self.name
        deployment.replicas = self.replicas
        deployment.bufferSize = self.bufferSize
        deployment.minReplicas = self.minReplicas
        deployment.maxReplicas = self.maxReplicas
        deployment.playerTracking = self.playerTracking
        deployment.environment = try Self.environment(for: configuration, agones: self.kind == .fleet)
        do {
            try deployment.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return deployment
    }

    /// The variables that give the server `configuration`'s hosting settings, checked by parsing
    /// them back the way the server will.
    static func environment(for configuration: ServerConfiguration, agones: Bool) throws -> [(name: String, value: String)] {
        var variables: [(key: String, value: String)] = [
            ("host", configuration.host),
            ("port", "\(configuration.port)"),
            ("drainTimeout", configuration.drainTimeout.secondsText),
            ("roomIdleTimeout", configuration.roomIdleTimeout.secondsText),
            ("rooms", "\(configuration.rooms)"),
            ("maxRooms", "\(configuration.maxRooms)"),
            ("roomCapacity", "\(configuration.roomCapacity)"),
            ("map", configuration.map),
            ("tickRate", "\(configuration.tickRate)"),
            ("fillBots", "\(configuration.fillBots)"),
            ("logFormat", configuration.logFormat.rawValue),
            ("logLevel", configuration.logLevel.rawValue),
        ]
        if agones { variables.append(("agones", "true")) }
        if let certificate = configuration.tlsCertificateFile, let key = configuration.tlsKeyFile {
            variables += [("tlsCert", certificate), ("tlsKey", key)]
        }
        let environment = variables.map { (name: ServerSettings.variable(for: $0.key), value: $0.value) }
        // The server must read these back to the same settings, or the manifest would lie.
        let parsed = try ServerSettings.load(
            arguments: [], environment: Dictionary(uniqueKeysWithValues: environment.map { ($0.name, $0.value) })
        ).configuration
        guard parsed.port == configuration.port, parsed.host == configuration.host,
              parsed.drainTimeout == configuration.drainTimeout, parsed.logFormat == configuration.logFormat,
              parsed.roomIdleTimeout == configuration.roomIdleTimeout, parsed.map == configuration.map,
              (parsed.agonesSDKPort != nil) == agones, parsed.tlsCertificateFile == configuration.tlsCertificateFile,
              parsed.tlsKeyFile == configuration.tlsKeyFile
        else {
            throw ValidationError("internal error: the container variables do not give back the server's settings")
        }
        return environment
    }
}

extension Deployment.Kind: ExpressibleByArgument {}

/// The defaults live in `Deployment` alone; the options show them.
private let deploymentDefaults = Deployment(configuration: ServerConfiguration())
