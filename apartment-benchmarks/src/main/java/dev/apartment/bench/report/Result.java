package dev.apartment.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of a JMH JSON result file: a benchmark method with one set of parameters. */
final class Result {
    /** The canonical peer order of tables and charts. */
    static final List<String> PEER_ORDER =
            List.of("floor", "floorAlloc", "apartment", "netty", "executor", "awt", "swingPump", "javafx", "fxPump");

    final String benchmark;   // dev.apartment.bench.PostThroughput.oneProducer
    final String className;   // PostThroughput
    final String method;      // oneProducer
    final String mode;        // thrpt, avgt, sample, ss
    final int threads;
    final int forks;
    final String jdk;
    final String peer;        // params.peer, or "" if none
    final Map<String, String> otherParams;
    final double score;
    final double error;
    final String unit;
    final Map<String, Double> percentiles;
    final Map<String, double[]> secondary;  // name -> {score, error}
    final Map<String, String> secondaryUnits;
    /** The median over forks of each fork's mean iteration score (NaN without raw data, e.g. in sample mode). */
    final double forkMedian;

    /**
     * A row of JMH's JSON, only the fields the report reads; Jackson binds it. The numbers are boxed so that one
     * missing from the file reads as NaN, not 0 (JMH writes an undefined one, e.g. the error of a single fork, as
     * the string {@code "NaN"}, which Jackson reads as NaN).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Row(String benchmark, String mode, Integer threads, Integer forks, String jdkVersion,
               Map<String, String> params, Metric primaryMetric, Map<String, Metric> secondaryMetrics) {
    }

    /** A metric of a row: the primary score or one of the profilers' ({@code gc.alloc.rate.norm}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metric(Double score, Double scoreError, String scoreUnit, Map<String, Double> scorePercentiles,
                  List<List<Double>> rawData) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Result(Row row) {
        benchmark = row.benchmark();
        int dot = benchmark.lastIndexOf('.');
        method = benchmark.substring(dot + 1);
        String cls = benchmark.substring(0, dot);
        className = cls.substring(cls.lastIndexOf('.') + 1);
        mode = row.mode();
        threads = row.threads() == null ? 0 : row.threads();
        forks = row.forks() == null ? 0 : row.forks();
        jdk = row.jdkVersion() == null ? "" : row.jdkVersion();
        Map<String, String> params = row.params() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(row.params());
        String pe = params.remove("peer");
        peer = pe == null ? "" : pe;
        otherParams = Collections.unmodifiableMap(params);
        Metric primary = row.primaryMetric();
        score = num(primary.score());
        error = num(primary.scoreError());
        unit = primary.scoreUnit();
        percentiles = primary.scorePercentiles() == null ? Map.of() : primary.scorePercentiles();
        forkMedian = forkMedian(primary.rawData());
        Map<String, double[]> sec = new LinkedHashMap<>();
        Map<String, String> secUnits = new LinkedHashMap<>();
        if (row.secondaryMetrics() != null) {
            row.secondaryMetrics().forEach((name, v) -> {
                sec.put(name, new double[] {num(v.score()), num(v.scoreError())});
                secUnits.put(name, v.scoreUnit());
            });
        }
        secondary = sec;
        secondaryUnits = secUnits;
    }

    static List<Result> read(Path json) throws IOException {
        JsonNode root = MAPPER.readTree(json.toFile());
        if (!root.isArray()) {
            throw new IllegalArgumentException(json + ": not a JMH JSON result file (expected an array)");
        }
        List<Result> out = new ArrayList<>();
        for (Row row : MAPPER.convertValue(root, new TypeReference<List<Row>>() { })) {
            out.add(new Result(row));
        }
        return out;
    }

    /** The percentile {@code p} (e.g. 50.0, 99.0), or NaN. */
    double percentile(double p) {
        for (Map.Entry<String, Double> e : percentiles.entrySet()) {
            if (Double.parseDouble(e.getKey()) == p) {
                return e.getValue();
            }
        }
        return Double.NaN;
    }

    private static double forkMedian(List<List<Double>> rawData) {
        if (rawData == null || rawData.isEmpty()) {
            return Double.NaN;
        }
        List<Double> means = new ArrayList<>();
        for (List<Double> fork : rawData) {
            if (fork == null || fork.isEmpty()) {
                return Double.NaN;
            }
            double sum = 0;
            for (Double v : fork) {
                sum += num(v);
            }
            means.add(sum / fork.size());
        }
        Collections.sort(means);
        int n = means.size();
        return n % 2 == 1 ? means.get(n / 2) : (means.get(n / 2 - 1) + means.get(n / 2)) / 2;
    }

    /** Bytes allocated per operation (all threads) from {@code -prof gc}, or NaN. */
    double allocPerOp() {
        double[] v = secondary.get("gc.alloc.rate.norm");
        return v == null ? Double.NaN : v[0];
    }

    /** {@code Class.method} plus the parameters other than the peer, e.g. {@code Timers.startStop1k}. */
    String key() {
        StringBuilder b = new StringBuilder(className).append('.').append(method);
        if (!otherParams.isEmpty()) {
            b.append(' ').append(otherParams);
        }
        return b.toString();
    }

    /** The peers of {@link #PEER_ORDER} that occur in {@code rs}, in that order: the columns of a table. */
    static List<String> peersIn(List<Result> rs) {
        List<String> peers = new ArrayList<>();
        for (String peer : PEER_ORDER) {
            if (rs.stream().anyMatch(r -> r.peer.equals(peer))) {
                peers.add(peer);
            }
        }
        return peers;
    }

    static int peerRank(String peer) {
        int i = PEER_ORDER.indexOf(peer);
        return i < 0 ? PEER_ORDER.size() : i;
    }

    private static double num(Double v) {
        return v == null ? Double.NaN : v;
    }
}
