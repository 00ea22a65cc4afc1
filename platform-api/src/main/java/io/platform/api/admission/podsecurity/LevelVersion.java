package io.platform.api.admission.podsecurity;

/** A level at a policy version, written {@code level:version} in messages, as upstream's api.LevelVersion. */
record LevelVersion(PodSecurityLevel level, PodSecurityVersion version) {

    static final LevelVersion PRIVILEGED_LATEST = new LevelVersion(PodSecurityLevel.PRIVILEGED, PodSecurityVersion.LATEST);

    /** Whether both allow the same pods: both privileged (at any version), or the same level and version. */
    boolean equivalent(LevelVersion other) {
        return level == PodSecurityLevel.PRIVILEGED && other.level == PodSecurityLevel.PRIVILEGED || equals(other);
    }

    @Override
    public String toString() {
        return level.label() + ":" + version;
    }
}
