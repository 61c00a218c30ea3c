package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.testing.Fixtures;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecoderModelParityTest {
    static final double TOL = 1e-4;

    @Nested
    class RewardModels {
        @ParameterizedTest
        @ValueSource(strings = {"llama-rm", "qwen2-rm", "gpt2-rm"})
        void rewardsMatchTransformersForRightAndLeftPadding(String name) {
            JsonNode cases = Cases.read(name);
            try (DecoderModel model =
                            DecoderModel.load(
                                    Fixtures.hf(name), ModelHead.REWARD, ModelOptions.defaults());
                    NDManager step = model.manager().newSubManager()) {
                for (JsonNode c : cases.get("cases")) {
                    NDArray ids = Cases.longs(step, c.get("input_ids"));
                    NDArray mask = Cases.longs(step, c.get("attention_mask"));
                    float[] rewards = model.scores(ids, mask).squeeze(1).toFloatArray();
                    double err = Cases.maxAbsDiff(Cases.doubles(c.get("rewards")), rewards);
                    System.out.printf(
                            "parity %s %s-padding max|diff| = %.3g%n",
                            name, c.get("padding_side").asText(), err);
                    assertTrue(
                            err < TOL, name + " " + c.get("padding_side") + " max |diff| " + err);
                }
            }
        }
    }

    @Nested
    class LanguageModels {
        @ParameterizedTest
        @ValueSource(strings = {"llama-lm", "qwen2-lm", "gpt2-lm"})
        void summedAndMeanResponseLogpsMatchTransformers(String name) {
            JsonNode c = Cases.read(name);
            try (DecoderModel model =
                            DecoderModel.load(
                                    Fixtures.hf(name), ModelHead.LM, ModelOptions.defaults());
                    NDManager step = model.manager().newSubManager()) {
                NDArray ids = Cases.longs(step, c.get("input_ids"));
                NDArray mask = Cases.longs(step, c.get("attention_mask"));
                NDArray response = Cases.longs(step, c.get("response_mask"));
                SequenceLogps logps = SequenceLogps.of(model.tokenLogps(ids, mask), response);
                double sumErr =
                        Cases.maxAbsDiff(
                                Cases.doubles(c.get("sum_logps")), logps.sum().toFloatArray());
                double meanErr =
                        Cases.maxAbsDiff(
                                Cases.doubles(c.get("mean_logps")), logps.mean().toFloatArray());
                System.out.printf(
                        "parity %s sum max|diff| = %.3g, mean max|diff| = %.3g%n",
                        name, sumErr, meanErr);
                assertTrue(sumErr < TOL, name + " sum max |diff| " + sumErr);
                assertTrue(meanErr < TOL, name + " mean max |diff| " + meanErr);
            }
        }
    }
}
