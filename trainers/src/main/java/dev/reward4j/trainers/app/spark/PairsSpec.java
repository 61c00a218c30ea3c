package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.SplitFilter;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.corpus.CorpusPreparation;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the preference pairs of one input are read and tokenized, as {@code train} reads them: the
 * resolved {@code data.format}, the row selection ({@code data.split}), {@code data.lenient}, the
 * tokenizer directory and the truncation policy. Sent to the executors, which rebuild the
 * preparation from it (one tokenizer per executor JVM).
 *
 * @param tokenizerDir the tokenizer directory
 * @param format the resolved {@code data.format} name
 * @param rows the split filter, or null for every row
 * @param truncation the truncation policy
 * @param lenient count malformed rows instead of failing
 */
record PairsSpec(
        String tokenizerDir,
        String format,
        SplitFilter rows,
        TruncationPolicy truncation,
        boolean lenient)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The spec of the training file ({@code rows}: training rows) or the held-out file. */
    static PairsSpec of(RunConfig cfg, Optional<SplitFilter> rows) {
        return new PairsSpec(
                cfg.model().tokenizerOrModel(),
                cfg.dataFormat().key(),
                rows.orElse(null),
                cfg.data().truncationPolicy(),
                cfg.data().lenient());
    }

    /** The row format with its split filter. */
    Format<PreferencePair> rowFormat() {
        Format<PreferencePair> f = DataFormat.parse(format).pairs();
        return rows == null ? f : rows.on(f);
    }

    /** The preparation, with this JVM's tokenizer. */
    CorpusPreparation preparation() {
        return new CorpusPreparation(
                encoder(tokenizerDir),
                truncation,
                rowFormat(),
                ReadOptions.defaults().withLenient(lenient));
    }

    /** This JVM's tokenizer of {@code dir}. */
    static TextEncoder encoder(String dir) {
        return ExecutorResources.get("encoder:" + dir, () -> TextEncoder.load(Path.of(dir)));
    }
}
