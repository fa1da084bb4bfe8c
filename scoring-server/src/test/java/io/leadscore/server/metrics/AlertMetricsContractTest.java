package io.leadscore.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.leadscore.client.LeadscoreClient;
import io.leadscore.server.LeadscoreExtension;
import io.leadscore.server.RepositoryFiles;
import io.leadscore.server.ServerConfig;
import io.leadscore.server.grpc.security.ServerSecurity;
import io.leadscore.v1.Engagement;
import io.leadscore.v1.RegisterLeadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the alert rules and the Grafana dashboard read is one a running server exports: a renamed meter
 * cannot silence an alert or blank a panel.
 */
class AlertMetricsContractTest {

    /**
     * Metric names in PromQL (with label selectors emptied and by/without clauses removed): identifiers followed
     * by a selector, a range, a closing parenthesis, a comparison or the end.
     */
    private static final Pattern METRIC =
            Pattern.compile("\\b([a-zA-Z_][a-zA-Z0-9_]*)(?=\\{|\\[|\\)|\\s*[><=!]|\\s*$)");
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "sum", "rate", "increase", "max",
                                                           "histogram_quantile", "and", "or");

    /** A server that exports its metrics, on a free port. */
    @RegisterExtension
    final LeadscoreExtension leadscore = LeadscoreExtension.withSystemClock().withConfig(
            config -> new ServerConfig(0, 0, "127.0.0.1", config.dataDir(), null, 1_000, false, Duration.ofMillis(100),
                                       ServerSecurity.NONE, ServerConfig.DEFAULT_MAX_IN_FLIGHT,
                                       ServerConfig.DEFAULT_MAX_STREAM_RATE));

    @Test
    void theServerExportsEveryMetricTheAlertsAndTheDashboardUse() throws Exception {
        Set<String> used = metricsIn(RepositoryFiles.find("ops/prometheus/alerts.yml"));
        assertThat(used).contains("leadscore_sla_breaches_total", "grpc_server_processing_duration_seconds_bucket",
                                  "leadscore_processor_lag_seconds");
        Set<String> dashboard = metricsInDashboard(RepositoryFiles.find("ops/grafana/leadscore.json"));
        assertThat(dashboard).contains("leadscore_mql_transitions_total", "leadscore_leads_by_band");
        used.addAll(dashboard);
        LeadscoreClient client = leadscore.client();
        client.registerLead(RegisterLeadRequest.newBuilder().setLeadId("l1").setChannel("email").build());
        // Demo, trial and a pricing visit: an MQL under the default model, so MQL series exist.
        Timestamp now = Timestamp.newBuilder().setSeconds(java.time.Instant.now().getEpochSecond()).build();
        client.recordEngagement(Engagement.newBuilder().setLeadId("l1").setEventId("demo")
                                          .setType("demo_requested").setOccurredAt(now).build());
        client.recordEngagement(Engagement.newBuilder().setLeadId("l1").setEventId("trial")
                                          .setType("trial_started").setOccurredAt(now).build());
        assertThat(client.recordEngagement(Engagement.newBuilder().setLeadId("l1").setEventId("pricing")
                .setType("page_view").putAttributes("page_category", "pricing").setOccurredAt(now).build())
                         .getScore().getMeetsMqlRule()).isTrue();
        // A refused call too, so that series by status code exist.
        assertThatThrownBy(() -> client.recordEngagement(Engagement.newBuilder().setLeadId("l1")
                .setEventId("e1").setType("teleport").build())).isInstanceOf(StatusRuntimeException.class);
        // Score bands are recounted every 10 s: give the first recount after the MQL its time.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String exposition = scrape(leadscore.server().metricsPort());
            Set<String> missing = new TreeSet<>();
            for (String metric : used) {
                if (!PROMETHEUS_OWN.contains(metric) && !exposition.contains("\n" + metric)) {
                    missing.add(metric);
                }
            }
            assertThat(missing).as("metrics the alerts or the dashboard use but the server does not export")
                               .isEmpty();
        });
    }

    /** The metric names in every rule's expression: identifiers before a selector, a range or a comparison. */
    private static Set<String> metricsIn(Path rules) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(rules.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode group : root.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                addMetrics(rule.path("expr").asText(), names);
            }
        }
        return names;
    }

    /** The metric names in every panel query of a Grafana dashboard. */
    private static Set<String> metricsInDashboard(Path dashboard) throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                addMetrics(target.path("expr").asText(), names);
            }
        }
        return names;
    }

    private static void addMetrics(String expr, Set<String> names) {
        String plain = expr.replaceAll("\\{[^}]*}", "{}").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
        Matcher matcher = METRIC.matcher(plain);
        while (matcher.find()) {
            if (!PROMQL_WORDS.contains(matcher.group(1))) {
                names.add(matcher.group(1));
            }
        }
    }

    private static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return "\n" + response.body();
    }
}
