package io.dmm.api;

import java.time.Instant;

/**
 * The running policy and how its last change went.
 *
 * @param version    1 for the policy the runtime started with, one more for every change applied
 * @param origin     where the running version came from (a file path, {@code "<built-in default>"},
 *                   {@code "runtime API: addRule"}, an HTTP push...)
 * @param file       the file reloads read, or null when there is none
 * @param appliedAt  when the running version was applied
 * @param rules      its number of rules
 * @param stacks     its number of stack instances
 * @param lastChange the last attempt to change the policy (applied or rejected), or null if none yet
 */
public record PolicyStatus(long version, String origin, String file, Instant appliedAt, int rules, int stacks,
                           Change lastChange) {

    /**
     * One attempt to change the policy.
     *
     * @param at      when it was attempted
     * @param trigger what asked for it: {@code "file watch"}, {@code "reload"}, {@code "addRule"}...
     * @param applied whether it became the running version
     * @param version the version it became, or the version that stayed when it was rejected
     * @param error   why it was rejected (the same message a bad file gives at start-up), or ""
     */
    public record Change(Instant at, String trigger, boolean applied, long version, String error) {
        public Change {
            error = error == null ? "" : error;
        }
    }
}
