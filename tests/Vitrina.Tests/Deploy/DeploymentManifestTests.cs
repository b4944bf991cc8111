using Vitrina.Tests.Support;

namespace Vitrina.Tests.Deploy;

/// <summary>
/// The Kubernetes manifests and the compose file cannot run here (no cluster, no Docker engine), so their fields that
/// matter to Orleans and to a safe rollout are checked by parsing them.
/// </summary>
public sealed class DeploymentManifestTests
{
    public static TheoryData<string> SiloDeployments => new() { "deploy/k8s/silo-cpu.yaml", "deploy/k8s/silo-gpu.yaml" };

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void Silo_deployment_gives_orleans_its_pod_address_cluster_ids_and_the_secret(string file)
    {
        var deployment = Yaml.Load(file);
        Assert.Equal("Deployment", deployment.Text("kind"));
        var pod = deployment.At("spec", "template");
        var container = pod.Items("spec", "containers").Named("silo");
        var env = container.Items("env");

        Assert.Equal("status.podIP", env.Named("POD_IP").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", env.Named("POD_NAME").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("$(POD_IP)", env.Named("Vitrina__Cluster__AdvertisedAddress").Text("value"));
        Assert.Equal("vitrina-db", env.Named("Vitrina__Cluster__ConnectionString").Text("valueFrom", "secretKeyRef", "name"));
        Assert.Null(env.Named("Vitrina__Cluster__ConnectionString").At("value")); // never inline
        Assert.Contains("orleans/clusterId", env.Named("Vitrina__Cluster__ClusterId").Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("vitrina", pod.Text("metadata", "labels", "orleans/clusterId"));
        Assert.Equal("vitrina", pod.Text("metadata", "labels", "orleans/serviceId"));

        var ports = container.Items("ports");
        Assert.Equal("11111", ports.Named("silo").Text("containerPort"));
        Assert.Equal("30000", ports.Named("gateway").Text("containerPort"));
        Assert.Equal("/readyz", container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", container.Text("livenessProbe", "httpGet", "path"));
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void Termination_grace_outlasts_the_silo_drain(string file)
    {
        var grace = int.Parse(Yaml.Load(file).Text("spec", "template", "spec", "terminationGracePeriodSeconds")!);
        // The silo stops within Vitrina:Silo:ShutdownTimeout (45 s by default); Kubernetes must not SIGKILL it first.
        Assert.True(grace > 45, $"terminationGracePeriodSeconds {grace} must exceed the silo's 45 s shutdown budget");
    }

    [Fact]
    public void Gpu_deployment_asks_for_a_gpu_node_and_runs_only_the_classifier()
    {
        var deployment = Yaml.Load("deploy/k8s/silo-gpu.yaml");
        var spec = deployment.At("spec", "template", "spec");
        var container = spec.Items("containers").Named("silo");
        Assert.Equal("1", container.Text("resources", "limits", "nvidia.com/gpu"));
        // The GPU limit alone picks a GPU node; a node label would need NVIDIA's feature discovery on the cluster.
        Assert.Null(spec.At("nodeSelector"));
        Assert.Equal("classify", container.Items("env").Named("Vitrina__Silo__Roles").Text("value"));
    }

    [Fact]
    public void Cpu_deployment_has_no_gpu_and_does_not_classify()
    {
        var container = Yaml.Load("deploy/k8s/silo-cpu.yaml").At("spec", "template", "spec").Items("containers").Named("silo");
        Assert.Null(container.At("resources", "limits", "nvidia.com/gpu"));
        Assert.Equal("ingest,catalogue", container.Items("env").Named("Vitrina__Silo__Roles").Text("value"));
        var moderation = container.Items("env").Named("Vitrina__Moderation__ApiKey");
        Assert.Equal("vitrina-moderation", moderation.Text("valueFrom", "secretKeyRef", "name"));
        Assert.Null(moderation.At("value")); // never inline
    }

    [Fact]
    public void Disruption_budget_covers_every_silo_one_at_a_time()
    {
        var pdb = Yaml.Load("deploy/k8s/pdb.yaml");
        Assert.Equal("PodDisruptionBudget", pdb.Text("kind"));
        Assert.Equal("1", pdb.Text("spec", "maxUnavailable"));
        var selector = pdb.At("spec", "selector", "matchLabels") as Dictionary<object, object>;
        Assert.NotNull(selector);
        Assert.NotEmpty(selector); // an empty selector would select every pod of the namespace
        foreach (var file in new[] { "deploy/k8s/silo-cpu.yaml", "deploy/k8s/silo-gpu.yaml" })
        {
            var labels = (Dictionary<object, object>)Yaml.Load(file).At("spec", "template", "metadata", "labels")!;
            Assert.All(selector, pair => Assert.Equal(pair.Value, labels.GetValueOrDefault(pair.Key)));
        }
    }

    [Fact]
    public void Compose_runs_postgres_two_cpu_silos_and_one_classify_silo_on_the_gpu_or_the_cpu_by_profile()
    {
        var compose = Yaml.Load("deploy/docker/compose.yaml");
        var services = (Dictionary<object, object>)compose.At("services")!;
        Assert.Contains("postgres", services.Keys);
        var silos = services.Where(s => s.Key.ToString()!.StartsWith("silo-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, silos.Count(s => s.Key.ToString()!.StartsWith("silo-cpu", StringComparison.Ordinal)));
        var gpu = Assert.Single(silos, s => s.Key.ToString() == "silo-gpu").Value;
        Assert.Equal("nvidia", gpu.Items("deploy", "resources", "reservations", "devices").First().Text("driver"));
        Assert.Equal("classify", gpu.Text("environment", "Vitrina__Silo__Roles"));
        // Without an NVIDIA GPU the cpu profile classifies instead; without either, nothing could be placed.
        foreach (var profile in new[] { "gpu", "cpu" })
        {
            var classify = Assert.Single(silos, s => s.Value.Items("profiles").Select(p => p.ToString()).Contains(profile));
            Assert.Equal("classify", classify.Value.Text("environment", "Vitrina__Silo__Roles"));
        }

        Assert.All(silos.Where(s => s.Key.ToString()!.StartsWith("silo-cpu", StringComparison.Ordinal)), s => Assert.Empty(s.Value.Items("profiles")));
        Assert.All(silos, s => Assert.Contains("Host=postgres", s.Value.Text("environment", "Vitrina__Cluster__ConnectionString")));
        // Published ports stay on loopback unless an operator changes them.
        Assert.All(silos, s => Assert.StartsWith("127.0.0.1:", s.Value.Items("ports").First().ToString()));
        // One model store for every silo, on a volume: the classify silo serves what retraining and `models use`
        // wrote from the others, and a recreated container keeps them.
        Assert.All(silos, s => Assert.Contains("models:/app/var/models", s.Value.Items("volumes").Select(v => v.ToString())));
        Assert.Contains("models", ((Dictionary<object, object>)compose.At("volumes")!).Keys);
    }

    [Theory]
    [MemberData(nameof(SiloDeployments))]
    public void Silos_run_as_non_root_and_share_the_model_store(string file)
    {
        var spec = Yaml.Load(file).At("spec", "template", "spec");
        var container = spec.Items("containers").Named("silo");

        Assert.Equal("true", spec.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("RuntimeDefault", spec.Text("securityContext", "seccompProfile", "type"));
        // One uid for both images, and its group owning the shared store: a CPU silo that seeds it and a GPU silo that
        // publishes retrained models into it must both write there.
        Assert.Equal("1654", spec.Text("securityContext", "runAsUser"));
        Assert.Equal("1654", spec.Text("securityContext", "fsGroup"));
        Assert.Equal("false", spec.Text("automountServiceAccountToken"));
        var claim = spec.Items("volumes").Named("models").Text("persistentVolumeClaim", "claimName");
        Assert.Equal(Yaml.Load("deploy/k8s/models-pvc.yaml").Text("metadata", "name"), claim);
        Assert.Equal("/app/var/models", container.Items("volumeMounts").Named("models").Text("mountPath")); // the store's default, under WORKDIR /app
        Assert.Equal("ReadWriteMany", Yaml.Load("deploy/k8s/models-pvc.yaml").Items("spec", "accessModes").Single().ToString());
    }

    [Fact]
    public void Only_silos_reach_the_orleans_ports()
    {
        var policy = Yaml.Load("deploy/k8s/network-policy.yaml");
        Assert.Equal("NetworkPolicy", policy.Text("kind"));
        Assert.Equal("true", policy.Text("spec", "podSelector", "matchLabels", "vitrina/silo"));
        var rules = policy.Items("spec", "ingress");
        var orleans = Assert.Single(rules, r => r.Items("ports").Any(p => p.Text("port") == "11111"));
        Assert.Equal(["11111", "30000"], orleans.Items("ports").Select(p => p.Text("port")).Order());
        Assert.Equal("true", Assert.Single(orleans.Items("from")).Text("podSelector", "matchLabels", "vitrina/silo"));
        Assert.DoesNotContain(rules, r => r != orleans && r.Items("ports").Any(p => p.Text("port") is "11111" or "30000"));
        Assert.False(File.Exists(RepoPaths.File("deploy/k8s/secret.example.yaml")), "an example Secret would be applied with the manifests");
    }
}

