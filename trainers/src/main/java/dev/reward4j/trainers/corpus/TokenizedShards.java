package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalDouble;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Tokenized preference pairs as Parquet shards: what {@code train} would feed its collator, ready
 * to stream ({@link ShardPairSource}) without reading or tokenizing text again.
 *
 * <p>Two layouts (snappy-compressed, deterministic bytes: the same pairs give the same file):
 *
 * <ul>
 *   <li>one pair per row ({@code packLength} 0): {@code id}, {@code source_file}, {@code
 *       source_line}, {@code chosen_ids} and {@code rejected_ids} ({@code list<int32>}), {@code
 *       chosen_prompt_length}, {@code rejected_prompt_length}, {@code margin} (optional), {@code
 *       weight};
 *   <li>packed: consecutive pairs share a row of at most {@code packLength} tokens, {@code
 *       input_ids} holding each pair's chosen then rejected tokens back to back and {@code pairs} a
 *       list of per-pair structs ({@code id}, {@code source_file}, {@code source_line}, {@code
 *       chosen_length}, {@code chosen_prompt_length}, {@code rejected_length}, {@code
 *       rejected_prompt_length}, {@code margin}, {@code weight}) in that order. A packing collator
 *       ({@code Packer}) fits one row's sequences into one packed training row without re-sorting;
 *       a pair longer than {@code packLength} gets a row of its own.
 * </ul>
 */
public final class TokenizedShards {
    /** The one-pair-per-row schema. */
    public static final MessageType PAIRS =
            MessageTypeParser.parseMessageType(
                    "message reward4j_pairs {\n"
                            + "  required binary id (STRING);\n"
                            + "  required binary source_file (STRING);\n"
                            + "  required int64 source_line;\n"
                            + "  required group chosen_ids (LIST) { repeated group list {"
                            + " required int32 element; } }\n"
                            + "  required int32 chosen_prompt_length;\n"
                            + "  required group rejected_ids (LIST) { repeated group list {"
                            + " required int32 element; } }\n"
                            + "  required int32 rejected_prompt_length;\n"
                            + "  optional double margin;\n"
                            + "  required double weight;\n"
                            + "}");

    /** The packed schema. */
    public static final MessageType PACKED =
            MessageTypeParser.parseMessageType(
                    "message reward4j_packed_pairs {\n"
                            + "  required group input_ids (LIST) { repeated group list {"
                            + " required int32 element; } }\n"
                            + "  required group pairs (LIST) { repeated group list { required group"
                            + " element {\n"
                            + "    required binary id (STRING); required binary source_file"
                            + " (STRING); required int64 source_line;\n"
                            + "    required int32 chosen_length; required int32"
                            + " chosen_prompt_length;\n"
                            + "    required int32 rejected_length; required int32"
                            + " rejected_prompt_length;\n"
                            + "    optional double margin; required double weight; } } }\n"
                            + "}");

    private TokenizedShards() {}

    /** The file name of shard {@code k}: {@code shard-00007.parquet}. */
    public static String shardName(int k) {
        return String.format(java.util.Locale.ROOT, "shard-%05d.parquet", k);
    }

    /**
     * A writer of one shard into {@code out} (left open).
     *
     * @param packLength 0 for one pair per row, else the tokens per packed row
     */
    public static Writer writer(OutputStream out, int packLength) throws IOException {
        Checks.argument(packLength >= 0, "tokenized shards: pack length must be >= 0");
        return new Writer(out, packLength);
    }

    /** Writes the pairs of one shard. */
    public static final class Writer implements AutoCloseable {
        private final ParquetWriter<Group> parquet;
        private final SimpleGroupFactory groups;
        private final int packLength;
        private final List<TokenizedPair> pack = new ArrayList<>();
        private int packTokens;
        private long pairs;

        private Writer(OutputStream out, int packLength) throws IOException {
            this.packLength = packLength;
            MessageType schema = packLength == 0 ? PAIRS : PACKED;
            this.groups = new SimpleGroupFactory(schema);
            this.parquet =
                    ExampleParquetWriter.builder(new StreamOutputFile(out))
                            .withConf(new PlainParquetConfiguration())
                            .withType(schema)
                            .withCompressionCodec(CompressionCodecName.SNAPPY)
                            .build();
        }

        /** Adds one pair. */
        public void write(TokenizedPair p) throws IOException {
            pairs++;
            if (packLength == 0) {
                Group g = groups.newGroup();
                g.append("id", p.id())
                        .append("source_file", p.source().file())
                        .append("source_line", p.source().line());
                ints(g.addGroup("chosen_ids"), p.chosen().ids());
                g.append("chosen_prompt_length", p.chosen().promptLength());
                ints(g.addGroup("rejected_ids"), p.rejected().ids());
                g.append("rejected_prompt_length", p.rejected().promptLength());
                if (p.margin().isPresent()) {
                    g.append("margin", p.margin().getAsDouble());
                }
                g.append("weight", p.weight());
                parquet.write(g);
                return;
            }
            if (!pack.isEmpty() && packTokens + p.tokens() > packLength) {
                flushPack();
            }
            pack.add(p);
            packTokens += p.tokens();
        }

        private void flushPack() throws IOException {
            if (pack.isEmpty()) {
                return;
            }
            Group g = groups.newGroup();
            Group ids = g.addGroup("input_ids");
            Group list = g.addGroup("pairs");
            for (TokenizedPair p : pack) {
                for (int t : p.chosen().ids()) {
                    ids.addGroup("list").append("element", t);
                }
                for (int t : p.rejected().ids()) {
                    ids.addGroup("list").append("element", t);
                }
                Group e = list.addGroup("list").addGroup("element");
                e.append("id", p.id())
                        .append("source_file", p.source().file())
                        .append("source_line", p.source().line())
                        .append("chosen_length", p.chosen().length())
                        .append("chosen_prompt_length", p.chosen().promptLength())
                        .append("rejected_length", p.rejected().length())
                        .append("rejected_prompt_length", p.rejected().promptLength());
                if (p.margin().isPresent()) {
                    e.append("margin", p.margin().getAsDouble());
                }
                e.append("weight", p.weight());
            }
            parquet.write(g);
            pack.clear();
            packTokens = 0;
        }

        /** Pairs written so far. */
        public long pairs() {
            return pairs;
        }

        /** Writes the last pack and the Parquet footer (the stream stays open). */
        @Override
        public void close() throws IOException {
            flushPack();
            parquet.close();
        }

        private static void ints(Group list, int[] values) {
            for (int v : values) {
                list.addGroup("list").append("element", v);
            }
        }
    }

    /**
     * Every pair of a directory of shards, in order, with the counters of its preparation, after
     * checking that it was prepared with these settings ({@link ShardManifest#requireMatches}):
     * what {@code train} uses when {@code data.train} is such a directory.
     *
     * @param dir the directory with {@code manifest.json}
     * @param dataFormat the run's resolved {@code data.format}
     * @param truncation the run's truncation policy
     * @param tokenizer the run's tokenizer facts ({@code RunInfo.tokenizerFacts})
     */
    public static dev.reward4j.core.pipeline.Prepared<TokenizedPair> prepared(
            Path dir,
            String dataFormat,
            dev.reward4j.core.text.TruncationPolicy truncation,
            java.util.Map<String, String> tokenizer)
            throws IOException {
        ShardManifest m = ShardManifest.read(dir);
        m.requireMatches(dir, dataFormat, truncation.toString(), tokenizer);
        List<TokenizedPair> pairs = new ArrayList<>();
        for (Path shard : m.files(dir)) {
            read(shard).forEachRemaining(pairs::add);
        }
        Checks.state(
                pairs.size() == m.pairs(),
                () ->
                        "tokenized shards: "
                                + dir
                                + " holds "
                                + pairs.size()
                                + " pairs but its manifest says "
                                + m.pairs()
                                + "; expected the complete output of a preparation");
        return new dev.reward4j.core.pipeline.Prepared<>(pairs, m.dataCounters());
    }

    /**
     * The pairs of one shard file (either layout), streamed one row group at a time.
     *
     * @param shard the file
     * @return the pairs in file order
     */
    public static Iterator<TokenizedPair> read(Path shard) {
        return new ShardReader(shard);
    }

    /** Reads a shard file; the file is closed at its end. */
    private static final class ShardReader implements Iterator<TokenizedPair> {
        private final Path path;
        private final ParquetFileReader reader;
        private final MessageType schema;
        private final boolean packed;
        private final ArrayDeque<TokenizedPair> pending = new ArrayDeque<>();
        private RecordReader<Group> records;
        private long remaining;
        private boolean done;

        ShardReader(Path path) {
            this.path = path;
            try {
                this.reader = ParquetFileReader.open(new LocalInputFile(path));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "tokenized shards: cannot open " + path + " (" + e.getMessage() + ")", e);
            }
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.packed = schema.containsField("input_ids");
            Checks.argument(
                    packed || schema.containsField("chosen_ids"),
                    () ->
                            "tokenized shards: "
                                    + path
                                    + " has schema "
                                    + schema.getName()
                                    + "; expected reward4j_pairs or reward4j_packed_pairs");
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && !done) {
                try {
                    while (remaining == 0) {
                        PageReadStore pages = reader.readNextRowGroup();
                        if (pages == null) {
                            done = true;
                            reader.close();
                            return false;
                        }
                        remaining = pages.getRowCount();
                        records =
                                new ColumnIOFactory()
                                        .getColumnIO(schema)
                                        .getRecordReader(pages, new GroupRecordConverter(schema));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("tokenized shards: cannot read " + path, e);
                }
                remaining--;
                Group g = records.read();
                if (packed) {
                    unpack(g);
                } else {
                    pending.add(pair(g));
                }
            }
            return !pending.isEmpty();
        }

        @Override
        public TokenizedPair next() {
            if (!hasNext()) {
                throw new NoSuchElementException("tokenized shards: end of " + path);
            }
            return pending.removeFirst();
        }

        private static TokenizedPair pair(Group g) {
            return new TokenizedPair(
                    g.getString("id", 0),
                    new TokenizedSequence(
                            ints(g.getGroup("chosen_ids", 0)),
                            g.getInteger("chosen_prompt_length", 0)),
                    new TokenizedSequence(
                            ints(g.getGroup("rejected_ids", 0)),
                            g.getInteger("rejected_prompt_length", 0)),
                    margin(g),
                    g.getDouble("weight", 0),
                    new Source(g.getString("source_file", 0), g.getLong("source_line", 0)));
        }

        private void unpack(Group g) {
            int[] ids = ints(g.getGroup("input_ids", 0));
            Group list = g.getGroup("pairs", 0);
            int n = list.getFieldRepetitionCount("list");
            int at = 0;
            for (int i = 0; i < n; i++) {
                Group e = list.getGroup("list", i).getGroup("element", 0);
                int cl = e.getInteger("chosen_length", 0);
                int rl = e.getInteger("rejected_length", 0);
                int[] chosen = Arrays.copyOfRange(ids, at, at + cl);
                int[] rejected = Arrays.copyOfRange(ids, at + cl, at + cl + rl);
                at += cl + rl;
                pending.add(
                        new TokenizedPair(
                                e.getString("id", 0),
                                new TokenizedSequence(
                                        chosen, e.getInteger("chosen_prompt_length", 0)),
                                new TokenizedSequence(
                                        rejected, e.getInteger("rejected_prompt_length", 0)),
                                margin(e),
                                e.getDouble("weight", 0),
                                new Source(
                                        e.getString("source_file", 0),
                                        e.getLong("source_line", 0))));
            }
            int spanned = at;
            Checks.state(
                    spanned == ids.length,
                    () ->
                            "tokenized shards: a packed row of "
                                    + path
                                    + " has "
                                    + ids.length
                                    + " tokens but its pairs span "
                                    + spanned
                                    + "; expected equal");
        }

        private static OptionalDouble margin(Group g) {
            return g.getFieldRepetitionCount("margin") == 0
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(g.getDouble("margin", 0));
        }

        private static int[] ints(Group list) {
            int n = list.getFieldRepetitionCount("list");
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = list.getGroup("list", i).getInteger("element", 0);
            }
            return out;
        }
    }

    /** A Parquet output file over any stream (a local file, a Hadoop file system stream, ...). */
    private static final class StreamOutputFile implements OutputFile {
        private final OutputStream out;

        StreamOutputFile(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the caller owns the stream
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
