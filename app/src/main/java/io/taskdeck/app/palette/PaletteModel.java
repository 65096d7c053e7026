package io.taskdeck.app.palette;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The command palette's matching, without a screen: every word typed must occur in a command's
 * title (any order, any case); a typed run id adds "Open run ..." at the top.
 */
public final class PaletteModel {

    static final int MAX_RESULTS = 50;

    private final List<Command> commands;
    private final Function<String, Command> openRun;

    /**
     * @param openRun makes the command that opens a run by id
     */
    public PaletteModel(List<Command> commands, Function<String, Command> openRun) {
        this.commands = List.copyOf(commands);
        this.openRun = openRun;
    }

    public List<Command> matching(String query) {
        String q = query == null ? "" : query.strip();
        List<Command> result = new ArrayList<>();
        if (q.startsWith("run_") && !q.contains(" ")) {
            result.add(openRun.apply(q));
        }
        String[] words = q.toLowerCase(Locale.ROOT).split("\\s+");
        for (Command c : commands) {
            String title = c.title().toLowerCase(Locale.ROOT);
            boolean all = true;
            for (String w : words) {
                if (!w.isEmpty() && !title.contains(w)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                result.add(c);
            }
            if (result.size() >= MAX_RESULTS) {
                break;
            }
        }
        return result;
    }
}
