package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A fixed, sorted list of user ids with their dense row numbers: how per-user parameters (routing
 * biases, ideal-point weights, EM cluster assignments) are indexed. Immutable.
 */
public final class UserIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> users;
    private final Map<String, Integer> rows = new LinkedHashMap<>();

    private UserIndex(List<String> users) {
        this.users = List.copyOf(users);
        for (int i = 0; i < this.users.size(); i++) {
            rows.put(this.users.get(i), i);
        }
    }

    /**
     * The sorted distinct ids.
     *
     * @param ids user ids (duplicates allowed)
     * @return the index
     */
    public static UserIndex of(Collection<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("UserIndex: no user ids; expected at least one");
        }
        return new UserIndex(new ArrayList<>(new TreeSet<>(ids)));
    }

    /**
     * The users of {@code pairs}.
     *
     * @param pairs tokenized pairs, each with a user id
     * @return the index
     * @throws IllegalArgumentException naming the first pair without a user id
     */
    public static UserIndex ofPairs(Collection<TokenizedPair> pairs) {
        List<String> ids = new ArrayList<>();
        for (TokenizedPair p : pairs) {
            ids.add(require(p));
        }
        return of(ids);
    }

    /** The user id of {@code p}, or an error naming the pair. */
    static String require(TokenizedPair p) {
        return p.userId()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "user data: pair "
                                                + p.id()
                                                + " ("
                                                + p.source()
                                                + ") has no user_id; expected every pair of a"
                                                + " per-user objective to name its user"));
    }

    /** Number of users. */
    public int size() {
        return users.size();
    }

    /** The ids in row order. */
    public List<String> users() {
        return users;
    }

    /** The row of {@code user}, if known. */
    public Optional<Integer> row(String user) {
        return Optional.ofNullable(rows.get(user));
    }

    /**
     * The row of {@code user}.
     *
     * @throws IllegalArgumentException for an unknown user
     */
    public int rowOf(String user) {
        Integer r = rows.get(user);
        if (r == null) {
            throw new IllegalArgumentException(
                    "UserIndex: unknown user '"
                            + user
                            + "'; expected one of the "
                            + users.size()
                            + " users the model was trained on (fit a new user first)");
        }
        return r;
    }

    /**
     * Writes the ids as a JSON array.
     *
     * @param file target file
     */
    public void save(Path file) {
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), users);
        } catch (IOException e) {
            throw new UncheckedIOException("UserIndex: cannot write " + file, e);
        }
    }

    /**
     * Reads a file written by {@link #save}.
     *
     * @param file the file
     * @return the index
     */
    public static UserIndex load(Path file) {
        try {
            String[] ids = JSON.readValue(Files.readString(file), String[].class);
            return new UserIndex(List.of(ids));
        } catch (IOException e) {
            throw new UncheckedIOException("UserIndex: cannot read " + file, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIndex u && users.equals(u.users);
    }

    @Override
    public int hashCode() {
        return users.hashCode();
    }

    @Override
    public String toString() {
        return "UserIndex" + users;
    }
}
