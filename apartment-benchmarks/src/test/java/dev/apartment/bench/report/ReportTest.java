package dev.apartment.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The table and chart tools read a real JMH JSON file (a trimmed quick run) and produce something sensible. */
@Timeout(30)
class ReportTest {

    private static Path sample(Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        try (var in = ReportTest.class.getResourceAsStream("/sample-results.json")) {
            Files.copy(in, json);
        }
        return json;
    }

    @Test
    void readsJmhJson(@TempDir Path dir) throws Exception {
        List<Result> rs = Result.read(sample(dir));
        assertThat(rs).hasSize(19);
        Result rt = Table.find(rs, "RoundTrip", "postAndWait", "apartment");
        assertThat(rt).isNotNull();
        assertThat(rt.mode).isEqualTo("sample");
        assertThat(rt.percentile(99.0)).isPositive();
        Result post = Table.find(rs, "PostThroughput", "oneProducer", "apartment");
        assertThat(post.unit).isEqualTo("ops/us");
        assertThat(post.allocPerOp()).isBetween(1.0, 1000.0);
        assertThat(post.error).isNaN(); // a single fork: JMH writes the error as "NaN"
    }

    @Test
    void targetsUseTheMedianOfTheForks(@TempDir Path dir) throws Exception {
        // One slow fork must not move the target ratio as it moves JMH's mean: 4.67 vs 3 here.
        Path json = dir.resolve("forks.json");
        Files.writeString(json, "[" + row("apartment", "[[1.0, 1.0], [10.0, 10.0], [3.0, 3.0]]", 4.67)
                + ", " + row("netty", "[[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]", 1.0) + "]");
        List<Result> rs = Result.read(json);
        assertThat(Table.find(rs, "PostThroughput", "oneProducer", "apartment").forkMedian).isEqualTo(3.0);
        assertThat(Table.markdown(rs, "forks.json")).contains("| post, 1 producer: apartment / netty | 3.00 | ≥ 5 |");
    }

    private static String row(String peer, String rawData, double score) {
        return "{\"benchmark\": \"dev.apartment.bench.PostThroughput.oneProducer\", \"mode\": \"thrpt\", "
                + "\"threads\": 1, \"forks\": 3, \"params\": {\"peer\": \"" + peer + "\"}, "
                + "\"primaryMetric\": {\"score\": " + score + ", \"scoreError\": 1.0, \"scoreUnit\": \"ops/us\", "
                + "\"rawData\": " + rawData + "}}";
    }

    /** The hosted benchmarks of one run: each dispatcher against its toolkit's own post. */
    private static String hostedRows() {
        return hostedThroughput("awt", 1.0) + ", " + hostedThroughput("swingPump", 12.0) + ", "
                + hostedThroughput("javafx", 2.0) + ", " + hostedThroughput("fxPump", 10.0) + ", "
                + hostedRoundTrip("awt", 20_000) + ", " + hostedRoundTrip("swingPump", 10_000) + ", "
                + hostedRoundTrip("javafx", 10_000) + ", " + hostedRoundTrip("fxPump", 15_000);
    }

    private static String hostedThroughput(String peer, double perFork) {
        return "{\"benchmark\": \"dev.apartment.bench.HostedThroughput.oneProducer\", \"mode\": \"thrpt\", "
                + "\"threads\": 1, \"forks\": 3, \"params\": {\"peer\": \"" + peer + "\"}, "
                + "\"primaryMetric\": {\"score\": " + perFork + ", \"scoreError\": 0.1, \"scoreUnit\": \"ops/us\", "
                + "\"rawData\": [[" + perFork + "], [" + perFork + "], [" + perFork + "]]}, "
                + "\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": 48.0, \"scoreError\": 0.01, "
                + "\"scoreUnit\": \"B/op\"}}}";
    }

    private static String hostedRoundTrip(String peer, double mean) {
        return "{\"benchmark\": \"dev.apartment.bench.HostedRoundTrip.postAndWait\", \"mode\": \"sample\", "
                + "\"threads\": 1, \"forks\": 3, \"params\": {\"peer\": \"" + peer + "\"}, "
                + "\"primaryMetric\": {\"score\": " + mean + ", \"scoreError\": 100.0, \"scoreUnit\": \"ns/op\", "
                + "\"scorePercentiles\": {\"50.0\": " + mean / 2 + ", \"99.0\": " + mean * 4 + "}}}";
    }

    @Test
    void hostedPairsHaveATableOfTheirOwnAndTargets(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("hosted.json");
        Files.writeString(json, "[" + hostedRows() + "]");
        String md = Table.markdown(Result.read(json), "hosted.json");
        assertThat(md).doesNotContain("| benchmark | unit |")
                .contains("| hosted dispatcher vs its toolkit | unit | awt | swingPump | javafx | fxPump |\n"
                        + "|---|---|---:|---:|---:|---:|\n")
                .contains("| Hosted dispatchers: post throughput, 1 producer | per µs (= millions per second); higher "
                        + "is better | 1.00 ± 0.100 | 12.0 ± 0.100 | 2.00 ± 0.100 | 10.0 ± 0.100 |")
                .contains("| Hosted dispatchers: round trip, post one task and wait - p99 | ns; lower is better "
                        + "| 80,000 | 40,000 | 40,000 | 60,000 |")
                .contains("| hosted post, 1 producer: swingPump / awt | 12.0 | ≥ 10 | met |")
                .contains("| hosted post, 1 producer: fxPump / javafx | 5.00 | ≥ 10 | **missed** |")
                .contains("| hosted round trip mean: swingPump / awt | 0.50 | ≤ 1 | met |")
                .contains("| hosted round trip mean: fxPump / javafx | 1.50 | ≤ 1 | **missed** |")
                // the targets of benchmarks this run did not measure
                .contains("| post, 1 producer: apartment / netty |  | ≥ 5 | not measured |");
    }

    @Test
    void hostedResultsLeaveTheMainTableAsItWas(@TempDir Path dir) throws Exception {
        String sample = Files.readString(sample(dir)).trim();
        Path json = dir.resolve("both.json");
        Files.writeString(json, sample.substring(0, sample.length() - 1) + ", " + hostedRows() + "]");
        List<Result> rs = Result.read(json);
        assertThat(rs).hasSize(19 + 8);
        String md = Table.markdown(rs, "both.json");
        // the main table keeps the sample's three peer columns; the hosted peers get a table of their own after it
        assertThat(md).contains("| benchmark | unit | floor | apartment | netty |\n|---|---|---:|---:|---:|\n")
                .contains("| hosted dispatcher vs its toolkit | unit | awt | swingPump | javafx | fxPump |");
        assertThat(md.indexOf("| hosted dispatcher vs")).isGreaterThan(md.indexOf("| Post throughput, 1 producer |"))
                .isLessThan(md.indexOf("| Apartment only |"));
        String mainTable = md.substring(md.indexOf("| benchmark |"), md.indexOf("| hosted dispatcher vs"));
        assertThat(mainTable).doesNotContain("Hosted", "swingPump", "fxPump");

        Path png = dir.resolve("both.png");
        Chart.main(new String[] {json.toString(), png.toString()});
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getHeight()).isGreaterThan(1000);
        assertThat(Panel.of(rs).stream().filter(p -> p.hosted).map(p -> p.title)).containsExactly(
                "Hosted dispatchers: post throughput, 1 producer",
                "Hosted dispatchers: post throughput, 1 producer - allocation",
                "Hosted dispatchers: round trip, post one task and wait - mean",
                "Hosted dispatchers: round trip, post one task and wait - p50",
                "Hosted dispatchers: round trip, post one task and wait - p99");
    }

    @Test
    void tableHasPeersAndTargets(@TempDir Path dir) throws Exception {
        String md = Table.markdown(Result.read(sample(dir)), "results.json");
        // a column for each peer the run measured (this sample has three), in the canonical order
        assertThat(md).contains("| benchmark | unit | floor | apartment | netty |\n|---|---|---:|---:|---:|\n")
                .contains("Post throughput, 1 producer")
                .contains("### Targets")
                .contains("post, 1 producer: apartment / netty")
                .contains("startStop100k");
    }

    @Test
    void chartIsAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("out.png");
        Chart.main(new String[] {sample(dir).toString(), png.toString()});
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(1000);
        assertThat(img.getHeight()).isGreaterThan(1000);
    }
}
