package io.dnslb.observe.http;

import java.util.List;

/**
 * This server in its fleet, for {@code /status}.
 *
 * @param connected whether it holds a live etcd lease now
 * @param liveServers the servers whose verdicts count, itself included
 */
public record ClusterStatus(String name, boolean connected, List<String> liveServers) {}
