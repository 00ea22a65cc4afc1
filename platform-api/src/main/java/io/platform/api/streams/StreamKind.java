package io.platform.api.streams;

/** The three upgraded pod subresources and the kubelet path each is served at. */
enum StreamKind {
    EXEC("exec", "exec"),
    ATTACH("attach", "attach"),
    PORT_FORWARD("portforward", "portForward");

    private final String subresource;
    private final String kubeletPath;

    StreamKind(String subresource, String kubeletPath) {
        this.subresource = subresource;
        this.kubeletPath = kubeletPath;
    }

    String subresource() {
        return subresource;
    }

    String kubeletPath() {
        return kubeletPath;
    }
}
