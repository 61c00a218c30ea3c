package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A {@link PairBatch} plus the user of each pair (pluralistic reward models).
 *
 * @param pairs the pair batch (chosen rows {@code [0, B)}, rejected rows {@code [B, 2B)})
 * @param userRows (B) int64 row of each pair's user in the batch's {@link UserIndex}
 * @param users the B user ids
 */
public record UserPairBatch(PairBatch pairs, NDArray userRows, List<String> users)
        implements AutoCloseable {
    /** Copies the user list. */
    public UserPairBatch {
        users = List.copyOf(users);
    }

    @Override
    public void close() {
        pairs.close();
        userRows.close();
    }
}
