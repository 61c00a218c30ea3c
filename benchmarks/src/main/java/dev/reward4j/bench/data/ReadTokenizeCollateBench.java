package dev.reward4j.bench.data;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Read + tokenize + collate throughput of the data path: one operation is a {@link PairPass} over a
 * file of {@code pairs} TRL rows (chat template for conversational rows). The {@code tokens}
 * counter (real tokens collated) is reported as a rate: tokens/s. Target: >= 300,000 tokens/s on 2
 * cores.
 *
 * <pre>java -Dai.djl.offline=true -cp ... org.openjdk.jmh.Main ReadTokenizeCollateBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Xmx1g"})
public class ReadTokenizeCollateBench {
    /** Row layout. */
    @Param({"standard", "conversational"})
    public String layout;

    /** Rows per file (one benchmark operation). */
    @Param({"2048"})
    public int pairs;

    private Path dir;
    private Path file;
    private TextEncoder encoder;
    private NDManager manager;

    /** Counters reported per second by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        /** Real (non-padding) tokens collated. */
        public long tokens;

        /** Pairs collated. */
        public long pairsDone;

        /** Resets per iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
            pairsDone = 0;
        }
    }

    /** Writes the file and loads the tokenizer. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("reward4j-bench");
        file = dir.resolve("pairs.jsonl");
        SyntheticPairs.write(file, pairs, layout.equals("conversational"), 17);
        encoder = TextEncoder.load(SyntheticPairs.tokenizerDir());
        manager = NDManager.newBaseManager();
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        manager.close();
        encoder.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** One pass over the file. */
    @Benchmark
    public long readTokenizeCollate(Tokens counters) {
        PairPass.Totals t = PairPass.run(file, encoder, manager);
        counters.tokens += t.tokens();
        counters.pairsDone += t.pairs();
        return t.tokens();
    }
}
