package dev.reward4j.core.text;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedFeedback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Tokenizes chunks of examples: renders prompts and responses ({@link TextEncoder}), encodes all
 * texts of a chunk in one native batch call, applies the {@link TruncationPolicy} pair-aware (all
 * responses of an example share one, identically truncated prompt) and counts everything in {@link
 * DataCounters}:
 *
 * <ul>
 *   <li>invalid: an empty response text, chosen equal to rejected (same response tokens), a
 *       sequence starting with BOS BOS;
 *   <li>dropped: too long under {@link TruncationPolicy.Drop}, or no prompt token left under {@link
 *       TruncationPolicy.KeepPromptEnd};
 *   <li>truncated: one count per example, plus per-sequence prompt/response cuts and forced EOS
 *       tokens.
 * </ul>
 *
 * <p>Not thread-safe (it owns its counters); use one instance per thread.
 */
public final class ExampleTokenizer {
    private final TextEncoder encoder;
    private final TruncationPolicy policy;
    private final DataCounters counters;

    /**
     * Creates a tokenizer.
     *
     * @param encoder the text encoder
     * @param policy the truncation policy
     * @param counters where truncations, drops and invalid examples are counted
     */
    public ExampleTokenizer(TextEncoder encoder, TruncationPolicy policy, DataCounters counters) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The counters. */
    public DataCounters counters() {
        return counters;
    }

    /** One example: a prompt and K responses. */
    private record Job(Source source, Text prompt, List<Text> responses) {}

    /**
     * Encodes jobs; returns per job the K sequences (null when invalid or dropped, already
     * counted).
     */
    private List<TokenizedSequence[]> run(List<Job> jobs, boolean distinctResponses) {
        // Render every prompt and response (chat templates are the costly part; rendering is
        // thread-safe, so a chunk is
        // rendered on the common pool), then encode all texts of the chunk in one native batch
        // call.
        String[][] rendered = new String[jobs.size()][];
        IntStream range = IntStream.range(0, jobs.size());
        (jobs.size() >= 32 ? range.parallel() : range)
                .forEach(i -> rendered[i] = render(jobs.get(i)));
        List<String> texts = new ArrayList<>();
        List<String> renderedPrompts = new ArrayList<>(jobs.size());
        for (String[] r : rendered) {
            texts.addAll(Arrays.asList(r));
            renderedPrompts.add(r[0]);
        }
        int[][] ids = encoder.encodeBatch(texts.toArray(new String[0]));
        List<TokenizedSequence[]> out = new ArrayList<>(jobs.size());
        int t = 0;
        for (int ji = 0; ji < jobs.size(); ji++) {
            Job j = jobs.get(ji);
            int k = j.responses().size();
            int[] prefix = encoder.prefixFor(renderedPrompts.get(ji));
            int[] prompt = ids[t++];
            int[][] responses = new int[k][];
            String invalid = null;
            for (int r = 0; r < k; r++) {
                Text text = j.responses().get(r);
                if (text.isEmpty()) {
                    invalid = "empty response " + r;
                }
                int[] resp = ids[t++];
                boolean eos = encoder.appendsEos(text);
                if (eos && (resp.length == 0 || resp[resp.length - 1] != encoder.eosId())) {
                    resp = Arrays.copyOf(resp, resp.length + 1);
                    resp[resp.length - 1] = encoder.eosId();
                }
                responses[r] = resp;
            }
            if (invalid == null
                    && distinctResponses
                    && k == 2
                    && Arrays.equals(responses[0], responses[1])) {
                invalid = "chosen equals rejected";
            }
            int[] head = concat(prefix, prompt);
            if (invalid == null
                    && encoder.startsWithDoubleBos(k > 0 ? concat(head, responses[0]) : head)) {
                invalid = "starts with BOS BOS";
            }
            if (invalid != null) {
                counters.invalid(j.source().toString(), invalid);
                out.add(null);
                continue;
            }
            out.add(truncate(j.source(), prefix.length, head, responses));
        }
        return out;
    }

    /** The prompt text followed by each response text of one job. */
    private String[] render(Job j) {
        try {
            String[] out = new String[1 + j.responses().size()];
            out[0] = encoder.renderPrompt(j.prompt(), j.responses().get(0));
            for (int r = 0; r < j.responses().size(); r++) {
                out[1 + r] = encoder.renderResponse(j.prompt(), out[0], j.responses().get(r));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(j.source() + ": " + e.getMessage(), e);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Applies the policy to one prompt + K responses; null when dropped (counted). */
    private TokenizedSequence[] truncate(
            Source source, int prefixLen, int[] prompt, int[][] responses) {
        int limit = policy.maxLength();
        int maxResp = 0;
        for (int[] r : responses) {
            maxResp = Math.max(maxResp, r.length);
        }
        if (prompt.length + maxResp <= limit) {
            TokenizedSequence[] out = new TokenizedSequence[responses.length];
            for (int r = 0; r < responses.length; r++) {
                out[r] = new TokenizedSequence(concat(prompt, responses[r]), prompt.length);
            }
            return out;
        }
        if (policy instanceof TruncationPolicy.KeepEnd) {
            return keepEnd(prompt, responses, limit);
        }
        if (policy instanceof TruncationPolicy.KeepPromptEnd k) {
            return keepPromptEnd(source, k, prefixLen, prompt, responses);
        }
        counters.dropped(
                source.toString(),
                "length " + (prompt.length + maxResp) + " > maxLength " + limit + " (Drop policy)");
        return null;
    }

    private TokenizedSequence[] keepEnd(int[] prompt, int[][] responses, int limit) {
        TokenizedSequence[] out = new TokenizedSequence[responses.length];
        int prompts = 0;
        int resps = 0;
        for (int r = 0; r < responses.length; r++) {
            int[] full = concat(prompt, responses[r]);
            int cut = Math.max(0, full.length - limit);
            prompts += cut > 0 && prompt.length > 0 ? 1 : 0;
            resps += cut > prompt.length ? 1 : 0;
            out[r] =
                    new TokenizedSequence(
                            Arrays.copyOfRange(full, cut, full.length),
                            Math.max(0, prompt.length - cut));
        }
        counters.truncated(prompts, resps, 0);
        return out;
    }

    private TokenizedSequence[] keepPromptEnd(
            Source source,
            TruncationPolicy.KeepPromptEnd k,
            int prefixLen,
            int[] prompt,
            int[][] responses) {
        int limit = k.maxLength();
        int maxResp = 0;
        for (int[] r : responses) {
            maxResp = Math.max(maxResp, r.length);
        }
        int respBudget = Math.min(maxResp, Math.max(k.reserveResponse(), limit - prompt.length));
        int promptBudget = limit - respBudget;
        int[] keptPrompt = prompt;
        int promptsCut = 0;
        if (prompt.length > promptBudget) {
            int body = promptBudget - prefixLen;
            if (body < 1) {
                counters.dropped(
                        source.toString(),
                        "prompt of "
                                + prompt.length
                                + " tokens leaves no room under maxLength "
                                + limit);
                return null;
            }
            keptPrompt = new int[promptBudget];
            System.arraycopy(prompt, 0, keptPrompt, 0, prefixLen);
            System.arraycopy(prompt, prompt.length - body, keptPrompt, prefixLen, body);
            promptsCut = responses.length;
        }
        int room = limit - keptPrompt.length;
        int respsCut = 0;
        int eosForced = 0;
        TokenizedSequence[] out = new TokenizedSequence[responses.length];
        for (int r = 0; r < responses.length; r++) {
            int[] resp = responses[r];
            if (resp.length > room) {
                resp = Arrays.copyOf(resp, room);
                respsCut++;
                if (k.forceEos() && encoder.eosId() >= 0) {
                    resp[room - 1] = encoder.eosId();
                    eosForced++;
                }
            }
            out[r] = new TokenizedSequence(concat(keptPrompt, resp), keptPrompt.length);
        }
        counters.truncated(promptsCut, respsCut, eosForced);
        return out;
    }

    /**
     * Tokenizes preference pairs.
     *
     * @param chunk the pairs (a few hundred at a time for throughput)
     * @return the kept pairs, in order
     */
    public List<TokenizedPair> pairs(List<PreferencePair> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (PreferencePair p : chunk) {
            jobs.add(new Job(p.source(), p.prompt(), List.of(p.chosen(), p.rejected())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, true);
        List<TokenizedPair> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            TokenizedSequence[] s = seqs.get(i);
            if (s != null) {
                PreferencePair p = chunk.get(i);
                out.add(new TokenizedPair(p.id(), s[0], s[1], p.margin(), p.weight(), p.source()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes ranked lists (all items share the prompt tokens). */
    public List<TokenizedList> lists(List<RankedList> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (RankedList l : chunk) {
            jobs.add(new Job(l.source(), l.prompt(), l.responses()));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedList> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                RankedList l = chunk.get(i);
                out.add(new TokenizedList(l.id(), List.of(seqs.get(i)), l.scores(), l.source()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes rated responses. */
    public List<TokenizedRated> rated(List<RatedResponse> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (RatedResponse r : chunk) {
            jobs.add(new Job(r.source(), r.prompt(), List.of(r.response())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedRated> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                RatedResponse r = chunk.get(i);
                out.add(
                        new TokenizedRated(
                                r.id(), seqs.get(i)[0], r.ratings(), r.present(), r.source()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes unpaired feedback. */
    public List<TokenizedUnpaired> unpaired(List<UnpairedFeedback> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (UnpairedFeedback u : chunk) {
            jobs.add(new Job(u.source(), u.prompt(), List.of(u.completion())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedUnpaired> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                UnpairedFeedback u = chunk.get(i);
                out.add(new TokenizedUnpaired(u.id(), seqs.get(i)[0], u.desirable(), u.source()));
                counters.kept();
            }
        }
        return out;
    }
}
