package dbtool.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes/dbtool-serve.yaml, parsed (no schema validator installs here): the kinds and API versions
 * Kubernetes and the Prometheus Operator know, a shard count that matches the replicas, probes on /ready at the
 * container's port, a non-root read-only container, and selectors that find what they should.
 */
class KubernetesExampleTest {

    static final Path MANIFEST = Path.of("").toAbsolutePath().getParent().resolve("deploy/kubernetes/dbtool-serve.yaml");

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        assertTrue(value instanceof Map, where + ": expected a mapping, got " + value);
        return (Map<String, Object>) value;
    }

    static Object at(Map<String, Object> root, String path) {
        Object value = root;
        for (String key : path.split("\\.")) {
            value = value instanceof List<?> list ? list.get(Integer.parseInt(key)) : map(value, path).get(key);
            if (value == null) {
                throw new AssertionError(MANIFEST.getFileName() + ": " + path + " is missing (at " + key + ")");
            }
        }
        return value;
    }

    static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(MANIFEST))) {
            documents.add(map(document, "document"));
        }
        return documents;
    }

    static Map<String, Object> kind(List<Map<String, Object>> documents, String apiVersion, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .map(d -> {
                    assertEquals(apiVersion, d.get("apiVersion"), kind);
                    return d;
                }).orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
    }

    @Test
    void theStatefulSetShardsByOrdinalAndProbesReady() throws IOException {
        List<Map<String, Object>> documents = documents();
        assertEquals(3, documents.size());
        Map<String, Object> set = kind(documents, "apps/v1", "StatefulSet");
        int replicas = (Integer) at(set, "spec.replicas");
        Map<String, Object> container = map(at(set, "spec.template.spec.containers.0"), "container");
        List<?> args = (List<?>) container.get("args");
        assertEquals("serve", args.getFirst());
        String shard = (String) args.get(args.indexOf("--shard") + 1);
        Matcher matcher = Pattern.compile("\\$\\(SHARD_INDEX\\)/(\\d+)").matcher(shard);
        assertTrue(matcher.matches(), shard);
        assertEquals(replicas, Integer.parseInt(matcher.group(1)), "--shard's N must equal spec.replicas");
        assertEquals("metadata.labels['apps.kubernetes.io/pod-index']", at(container, "env.0.valueFrom.fieldRef.fieldPath"));
        assertEquals("SHARD_INDEX", at(container, "env.0.name"));

        String port = (String) at(container, "ports.0.name");
        assertEquals(9330, at(container, "ports.0.containerPort"));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertEquals("/ready", at(container, probe + ".httpGet.path"), probe);
            assertEquals(port, at(container, probe + ".httpGet.port"), probe);
        }
        assertTrue(args.contains("0.0.0.0:9330"), "listens beyond loopback, with --token-file: " + args);
        assertTrue(args.contains("--token-file"), args.toString());
        assertEquals(true, at(set, "spec.template.spec.securityContext.runAsNonRoot"));
        assertTrue((Integer) at(set, "spec.template.spec.securityContext.runAsUser") > 0);
        assertEquals(false, at(container, "securityContext.allowPrivilegeEscalation"));
        assertEquals(true, at(container, "securityContext.readOnlyRootFilesystem"));
        assertTrue((Integer) at(set, "spec.template.spec.terminationGracePeriodSeconds") >= 15, "dbtool drains for up to 8 s after SIGTERM");
        assertEquals(at(set, "spec.selector.matchLabels"), at(set, "spec.template.metadata.labels"));
    }

    @Test
    void theServiceAndServiceMonitorFindThePods() throws IOException {
        List<Map<String, Object>> documents = documents();
        Map<String, Object> set = kind(documents, "apps/v1", "StatefulSet");
        Map<String, Object> service = kind(documents, "v1", "Service");
        Map<String, Object> monitor = kind(documents, "monitoring.coreos.com/v1", "ServiceMonitor");
        assertEquals(at(set, "spec.serviceName"), at(service, "metadata.name"));
        assertEquals(at(set, "spec.template.metadata.labels"), at(service, "spec.selector"));
        assertEquals(at(service, "metadata.labels"), at(monitor, "spec.selector.matchLabels"));
        assertEquals(at(service, "spec.ports.0.name"), at(monitor, "spec.endpoints.0.port"));
        assertEquals("/metrics", at(monitor, "spec.endpoints.0.path"));
        assertEquals(at(set, "spec.template.spec.containers.0.ports.0.name"), at(service, "spec.ports.0.targetPort"));
    }
}
