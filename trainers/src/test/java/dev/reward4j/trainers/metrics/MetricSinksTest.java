package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MetricSinksTest {

    @Nested
    class Tee {
        @Test
        void forwardsEveryRecordToEverySinkAndClosesAllEvenIfOneFails() {
            List<String> log = new ArrayList<>();
            MetricSink a =
                    new MetricSink() {
                        @Override
                        public void record(String phase, long step, Map<String, Double> values) {
                            log.add("a" + step);
                        }

                        @Override
                        public void close() {
                            log.add("a-closed");
                            throw new IllegalStateException("boom");
                        }
                    };
            MetricSink b =
                    new MetricSink() {
                        @Override
                        public void record(String phase, long step, Map<String, Double> values) {
                            log.add("b" + step);
                        }

                        @Override
                        public void close() {
                            log.add("b-closed");
                        }
                    };
            MetricSink tee = MetricSinks.tee(a, b);
            tee.record("train", 1, Map.of());
            assertThrows(IllegalStateException.class, tee::close);
            assertEquals(List.of("a1", "b1", "a-closed", "b-closed"), log);
        }
    }
}
