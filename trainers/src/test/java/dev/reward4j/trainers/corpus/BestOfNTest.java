package dev.reward4j.trainers.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestOfNTest {
    private static BestOfN.Candidate c(String id, double reward, double u) {
        return new BestOfN.Candidate(
                new ScoredRow(
                        id, new Source("f", 1), "\"p\"", "\"" + id + "\"", new double[] {reward}),
                u);
    }

    private static List<String> ids(List<BestOfN.Pair> pairs) {
        return pairs.stream().map(BestOfN.Pair::id).toList();
    }

    @Test
    void bestVsWorstGivesOnePairPerPrompt() {
        BestOfN b = new BestOfN(BestOfN.Pairing.BEST_VS_WORST, 0);
        assertEquals(
                List.of("b>c"), ids(b.select(List.of(c("a", 1, 0), c("b", 3, 0), c("c", -2, 0)))));
    }

    @Test
    void bestVsRestSkipsResponsesTiedWithTheBest() {
        BestOfN b = new BestOfN(BestOfN.Pairing.BEST_VS_REST, 0);
        // a and c tie at the top: a (first) is chosen, c is no rejected response
        assertEquals(
                List.of("a>b", "a>d"),
                ids(b.select(List.of(c("a", 3, 0), c("b", 1, 0), c("c", 3, 0), c("d", 0, 0)))));
    }

    @Test
    void aPromptWithOneResponseOrOnlyTiesGivesNoPair() {
        BestOfN b = new BestOfN(BestOfN.Pairing.BEST_VS_WORST, 0);
        assertEquals(List.of(), b.select(List.of(c("a", 1, 0))));
        assertEquals(List.of(), b.select(List.of(c("a", 1, 0), c("b", 1, 0))));
    }

    @Test
    void thePenaltyWeighsTheUncertainty() {
        // selection scores with penalty 2: a = 3 - 2 * 1.5 = 0, b = 1 - 0 = 1, c = -1
        BestOfN b = new BestOfN(BestOfN.Pairing.BEST_VS_WORST, 2);
        assertEquals(
                List.of("b>c"),
                ids(b.select(List.of(c("a", 3, 1.5), c("b", 1, 0), c("c", -1, 0)))));
        assertEquals(0.0, b.selectionScore(c("a", 3, 1.5)));
    }

    @Test
    void pairsAreTrlRowsWithConversationalResponsesAfterAConversationPrompt() {
        ScoredRow chosen =
                new ScoredRow(
                        "x",
                        new Source("f", 1),
                        "[{\"role\":\"user\",\"content\":\"hi\"}]",
                        "\"hello\"",
                        new double[] {2});
        ScoredRow rejected =
                new ScoredRow(
                        "y",
                        new Source("f", 2),
                        "[{\"role\":\"user\",\"content\":\"hi\"}]",
                        "\"go\"",
                        new double[] {1});
        String json =
                new BestOfN.Pair(BestOfN.Candidate.of(chosen), BestOfN.Candidate.of(rejected))
                        .toTrlJson();
        assertEquals(
                "{\"id\":\"x>y\",\"prompt\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"hello\"}],"
                        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"go\"}],"
                        + "\"chosen_reward\":2.0,\"rejected_reward\":1.0}",
                json);
    }

    @Test
    void validatesItsArguments() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new BestOfN(BestOfN.Pairing.BEST_VS_REST, -1));
        assertThrows(IllegalArgumentException.class, () -> c("a", 1, Double.NaN));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BestOfN.Pairing.parse("best"));
        assertTrue(e.getMessage().contains("best-vs-worst or best-vs-rest"), e.getMessage());
        assertEquals(BestOfN.Pairing.BEST_VS_REST, BestOfN.Pairing.parse("best-vs-rest"));
    }
}
