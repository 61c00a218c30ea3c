package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds a {@link UserPairBatch}: a {@link PairCollator} batch plus the users' rows. */
public final class UserPairCollator {
    private final PairCollator pairs;
    private final UserIndex users;

    /**
     * Creates a collator.
     *
     * @param padding side, pad id, multiple, BOS check
     * @param users the users the model knows
     */
    public UserPairCollator(Padding padding, UserIndex users) {
        this.pairs = new PairCollator(padding);
        this.users = Objects.requireNonNull(users, "users");
    }

    /**
     * Collates {@code batch}.
     *
     * @param batch B >= 1 tokenized pairs, each with a user id known to the index
     * @param manager receives every array of the batch
     * @return the batch (close it after the step)
     * @throws IllegalArgumentException for a pair without user id or with an unknown user
     */
    public UserPairBatch collate(List<TokenizedPair> batch, NDManager manager) {
        long[] rows = new long[batch.size()];
        List<String> ids = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String u = UserIndex.require(batch.get(i));
            rows[i] = users.rowOf(u);
            ids.add(u);
        }
        return new UserPairBatch(pairs.collate(batch, manager), manager.create(rows), ids);
    }
}
