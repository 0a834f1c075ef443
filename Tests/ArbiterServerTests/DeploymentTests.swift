@testable import ArbiterServer
import Testing
import Yams

/// `arbiter-server deploy` output read back as YAML: the fields that make an instance start,
/// report health, drain in time and run without privileges.
@Suite struct DeploymentTests {
    static func deployment(port: Int = 7777, drain: Duration = .seconds(90)) -> Deployment {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        configuration.port = port
        configuration.drainTimeout = drain
        var deployment = Deployment(configuration: configuration)
        deployment.image = "registry.example/arbiter:1.2"
        deployment.environment = [("ARBITER_HOST", "0.0.0.0"), ("ARBITER_PORT", "\(port)"), ("ARBITER_NOTE", "a \"quoted\": value")]
        return deployment
    }

    static func documents(_ kind: Deployment.Kind, _ deployment: Deployment = deployment()) throws -> [[String: Any]] {
        let text = deployment.render(kind)
        return try Yams.load_all(yaml: text).map { document in
            try #require(document as? [String: Any], "not a mapping:\n\(text)")
        }
    }

    /// The pod spec's fields every manifest shares.
    static func checkPod(_ pod: [String: Any], readiness: Bool) throws {
        let deployment = Self.deployment()
        let grace = try #require(pod["terminationGracePeriodSeconds"] as? Int)
        #expect(grace >= 90 + 2, "the grace period covers the drain and the close")
        #expect(grace == deployment.terminationGracePeriodSeconds)
        let security = try #require(pod["securityContext"] as? [String: Any])
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(security["runAsUser"] as? Int == Deployment.userID)
        let containers = try #require(pod["containers"] as? [[String: Any]])
        let container = try #require(containers.first)
        #expect(container["image"] as? String == "registry.example/arbiter:1.2")
        let ports = try #require(container["ports"] as? [[String: Any]])
        #expect(ports.first?["containerPort"] as? Int == 7777)
        let env = try #require(container["env"] as? [[String: Any]])
        #expect(env.contains { $0["name"] as? String == "ARBITER_PORT" && $0["value"] as? String == "7777" })
        #expect(env.contains { $0["name"] as? String == "ARBITER_NOTE" && $0["value"] as? String == "a \"quoted\": value" })
        let liveness = try #require((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])
        #expect(liveness["path"] as? String == "/livez" && liveness["port"] as? Int == 7777)
        let readinessProbe = (container["readinessProbe"] as? [String: Any])?["httpGet"] as? [String: Any]
        if readiness {
            #expect(readinessProbe?["path"] as? String == "/readyz" && readinessProbe?["port"] as? Int == 7777)
        } else {
            #expect(readinessProbe == nil, "Agones decides readiness itself")
        }
        let containerSecurity = try #require(container["securityContext"] as? [String: Any])
        #expect(containerSecurity["allowPrivilegeEscalation"] as? Bool == false)
    }

    @Test func theFleetRunsTheServerAsConfigured() throws {
        let documents = try Self.documents(.fleet)
        #expect(documents.count == 1)
        let fleet = try #require(documents.first)
        #expect(fleet["apiVersion"] as? String == "agones.dev/v1")
        #expect(fleet["kind"] as? String == "Fleet")
        let spec = try #require(fleet["spec"] as? [String: Any])
        #expect(spec["replicas"] as? Int == 2)
        let gameServer = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let ports = try #require(gameServer["ports"] as? [[String: Any]])
        #expect(ports.first?["containerPort"] as? Int == 7777)
        #expect(ports.first?["portPolicy"] as? String == "Dynamic")
        let pod = try #require((gameServer["template"] as? [String: Any])?["spec"] as? [String: Any])
        try Self.checkPod(pod, readiness: false)
    }

    /// The Fleet declares what the server reports to Agones (`AgonesReport`): the `players`
    /// Counter with every seat of an instance, player tracking only when asked for.
    @Test func theFleetDeclaresThePlayersCounter() throws {
        var deployment = Self.deployment()
        deployment.configuration.maxRooms = 4
        deployment.configuration.roomCapacity = 12
        func gameServerSpec(_ deployment: Deployment) throws -> [String: Any] {
            let fleet = try #require(try Self.documents(.fleet, deployment).first)
            let spec = try #require(fleet["spec"] as? [String: Any])
            return try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        }
        let plain = try gameServerSpec(deployment)
        let counters = try #require(plain["counters"] as? [String: Any])
        let players = try #require(counters[AgonesReport.playersCounter] as? [String: Any])
        #expect(players["count"] as? Int == 0)
        #expect(players["capacity"] as? Int == 48)
        #expect(plain["players"] == nil, "player tracking is alpha: Agones refuses it unless its feature gate is on")
        #expect(plain["template"] != nil && plain["health"] != nil)

        deployment.playerTracking = true
        let tracked = try gameServerSpec(deployment)
        #expect((tracked["players"] as? [String: Any])?["initialCapacity"] as? Int == 48)
        #expect(tracked["counters"] != nil)
    }

    @Test func theAutoscalerKeepsABuffer() throws {
        let autoscaler = try #require(try Self.documents(.autoscaler).first)
        #expect(autoscaler["kind"] as? String == "FleetAutoscaler")
        let spec = try #require(autoscaler["spec"] as? [String: Any])
        #expect(spec["fleetName"] as? String == "arbiter")
        let policy = try #require(spec["policy"] as? [String: Any])
        #expect(policy["type"] as? String == "Buffer")
        let buffer = try #require(policy["buffer"] as? [String: Any])
        #expect(buffer["bufferSize"] as? Int == 2)
        #expect(buffer["minReplicas"] as? Int == 2 && buffer["maxReplicas"] as? Int == 20)
    }

    @Test func thePlainServiceLeavesDrainingPodsOut() throws {
        let documents = try Self.documents(.service)
        #expect(documents.map { $0["kind"] as? String } == ["Deployment", "Service"])
        let template = try #require((documents[0]["spec"] as? [String: Any])?["template"] as? [String: Any])
        try Self.checkPod(try #require(template["spec"] as? [String: Any]), readiness: true)
        let service = try #require(documents[1]["spec"] as? [String: Any])
        #expect((service["selector"] as? [String: Any])?["app"] as? String == "arbiter")
        #expect((service["ports"] as? [[String: Any]])?.first?["targetPort"] as? String == "http")
    }

    @Test(arguments: [Deployment.Kind.fleet, .service])
    func aTLSSecretIsMountedAndTheProbesUseHTTPS(kind: Deployment.Kind) throws {
        var deployment = Self.deployment()
        deployment.configuration.tlsCertificateFile = Deployment.tlsFolder + "/tls.crt"
        deployment.configuration.tlsKeyFile = Deployment.tlsFolder + "/tls.key"
        deployment.tlsSecret = "arbiter-tls"
        try deployment.validate()
        let document = try #require(try Self.documents(kind, deployment).first)
        let spec = try #require(document["spec"] as? [String: Any])
        let template = try #require(spec["template"] as? [String: Any])
        let pod: [String: Any] =
            kind == .fleet
            ? try #require(((template["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
            : try #require(template["spec"] as? [String: Any])
        try Self.checkPod(pod, readiness: kind == .service)
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        #expect(volumes.count == 1)
        #expect(volumes.first?["name"] as? String == "tls")
        #expect((volumes.first?["secret"] as? [String: Any])?["secretName"] as? String == "arbiter-tls")
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        let mount = try #require((container["volumeMounts"] as? [[String: Any]])?.first)
        #expect(mount["name"] as? String == "tls" && mount["mountPath"] as? String == "/etc/arbiter/tls" && mount["readOnly"] as? Bool == true)
        for probe in ["livenessProbe", "readinessProbe"] where probe == "livenessProbe" || kind == .service {
            let get = try #require((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])
            #expect(get["scheme"] as? String == "HTTPS", "\(probe) must speak TLS to a TLS port")
        }
    }

    @Test func withoutTLSTheProbesUseHTTPAndNothingIsMounted() throws {
        let pod = try #require(
            ((try Self.documents(.service).first?["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["volumes"] == nil)
        let container = try #require((pod["containers"] as? [[String: Any]])?.first)
        #expect(container["volumeMounts"] == nil)
        #expect(((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["scheme"] as? String == "HTTP")
        var bad = Self.deployment()
        bad.tlsSecret = "Not A Name"
        #expect(throws: ConfigurationError.self) { try bad.validate() }
    }

    @Test func theDockerfileBuildsStaticAndRunsUnprivileged() throws {
        let text = Self.deployment().render(.dockerfile)
        let instructions = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(instructions.filter { $0.hasPrefix("FROM ") }.count == 2, "multi-stage")
        #expect(text.contains("swift build -c release --static-swift-stdlib --product arbiter-server"))
        #expect(text.contains("/bundle/\(WebRoot.bundledFolderName)"), "the client beside the executable")
        #expect(instructions.contains("USER \(Deployment.userID):\(Deployment.userID)"))
        #expect(instructions.contains("EXPOSE 7777/tcp"))
        #expect(instructions.contains("STOPSIGNAL SIGTERM"))
        #expect(text.contains(#"ARBITER_PORT="7777""#))
        #expect(instructions.last == #"ENTRYPOINT ["/app/arbiter-server"]"#)
        // USER comes after everything that needs root.
        let user = try #require(instructions.firstIndex { $0.hasPrefix("USER ") })
        #expect(!instructions[user...].contains { $0.hasPrefix("RUN ") })
    }

    @Test func theGracePeriodFollowsTheDrainTimeout() {
        #expect(Self.deployment(drain: .seconds(60)).terminationGracePeriodSeconds == 60 + 3 + 5)
        #expect(Self.deployment(drain: .milliseconds(60_500)).terminationGracePeriodSeconds == 69)
    }

    @Test func aDeploymentNeedsAFixedPortAndAGoodName() {
        #expect(throws: ConfigurationError.self) { try Self.deployment(port: 0).validate() }
        var named = Self.deployment()
        named.name = "Arbiter EU"
        #expect(throws: ConfigurationError.self) { try named.validate() }
        #expect(throws: Never.self) { try Self.deployment().validate() }
    }
}
