package io.dmm.agent;

/** Why the agent cannot set DMM up; the JVM stops with {@link DmmAgent#EXIT_SETUP_FAILED} before main. */
final class AgentFailure extends RuntimeException {
    AgentFailure(String message) {
        super(message);
    }

    AgentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
