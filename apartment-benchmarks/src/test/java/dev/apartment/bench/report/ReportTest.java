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

    @Test
    void niceSteps() {
        assertThat(Chart.niceStep(3)).isEqualTo(5);
        assertThat(Chart.niceStep(0.013)).isEqualTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Chart.niceStep(1200)).isEqualTo(2000);
    }

    @Test
    void parsesJsonEdgeCases() {
        Object v = Json.parse("{\"a\": [1, -2.5e3, \"x\\\"y\\u0041\", true, false, null], \"b\": {}}");
        assertThat(v.toString()).isEqualTo("{a=[1.0, -2500.0, x\"yA, true, false, null], b={}}");
    }
}
