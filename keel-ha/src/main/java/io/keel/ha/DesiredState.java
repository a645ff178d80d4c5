package io.keel.ha;

/** What the administrator asked for a resource. */
public enum DesiredState {
    STARTED,
    STOPPED
}
