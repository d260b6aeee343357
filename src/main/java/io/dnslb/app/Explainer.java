package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.Lookup;
import io.dnslb.answer.LookupResult;
import io.dnslb.health.Prober;
import io.dnslb.health.TargetStatus;
import io.dnslb.observe.http.ExplainSource;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.PoolExplanation;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.zone.Zone;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code /v1/explain} and {@code dnslb explain}: the answer dnslb would give one client now, and
 * why. The route (zone, CNAME chain, pool) comes from the same {@link Lookup} that answers
 * queries, over the current catalog; the policy explains itself
 * ({@link io.dnslb.pool.policy.Selector#explain}), the prober adds since when and why each
 * member is in its state. Reads snapshots only; explaining changes no answer.
 */
final class Explainer implements ExplainSource {
  private final Supplier<Catalog> catalog;
  private final Lookup lookup;
  private final Prober prober;

  Explainer(Supplier<Catalog> catalog, Lookup lookup, Prober prober) {
    this.catalog = catalog;
    this.lookup = lookup;
    this.prober = prober;
  }

  @Override
  public Map<String, Object> explain(String name, String type, String client, String ecs) {
    Name qname = parseName(name);
    int qtype = type == null || type.isEmpty() ? Type.A : Type.value(type.toUpperCase(Locale.ROOT));
    if (qtype != Type.A && qtype != Type.AAAA) {
      throw new IllegalArgumentException("type must be A or AAAA (pools answer addresses only)");
    }
    ClientSubnet subnet = subnet(client, ecs);
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    out.put("name", qname.toString());
    out.put("type", Type.string(qtype));
    out.put("client", client == null || client.isEmpty() ? "127.0.0.1" : client);
    out.put("ecs", ecs == null || ecs.isEmpty() ? null : ecs);
    // The route a query takes, from the same lookup that answers it; pools are not asked.
    LookupResult r = lookup.route(catalog.get(), qname, qtype);
    while (r instanceof LookupResult.Cname c) {
      out.put("zone", c.zone().origin().toString());
      Name target = ((CNAMERecord) c.set().first()).getTarget();
      lines.add(c.owner() + " is a CNAME to " + target
          + (c.wildcard() ? " (synthesised from a wildcard)" : ""));
      if (c.end() != LookupResult.ChainEnd.FOLLOWED) {
        out.put("outcome", "CNAME");
        lines.add(switch (c.end()) {
          case OUT_OF_ZONE -> target + " is in none of our zones: the answer ends with the CNAME"
              + " and the resolver follows it";
          case LOOP -> target + " was visited already (a CNAME loop): the answer ends here";
          default -> "the chain reaches the configured maximum length: the answer ends here";
        });
      }
      r = c.next();
    }
    if (r != null) {
      describeEnd(r, qtype, subnet, out, lines);
    }
    out.put("lines", lines);
    return out;
  }

  /** The end of the route: a pool, explained by its policy, or what the zone answers. */
  private void describeEnd(LookupResult r, int qtype, ClientSubnet subnet, Map<String, Object> out,
      List<String> lines) {
    if (r instanceof LookupResult.Refused) {
      out.put("outcome", "REFUSED");
      lines.add(out.get("name") + " is in none of our zones: REFUSED");
      return;
    }
    if (r instanceof LookupResult.PoolName p) {
      out.put("zone", p.zone().origin().toString());
      if (p.pool() instanceof PoolRuntime runtime) {
        explainPool(runtime, qtype, subnet, out, lines);
        return;
      }
    }
    if (r instanceof LookupResult.Delegation d) {
      out.put("zone", d.zone().origin().toString());
      out.put("outcome", "referral");
      lines.add("below the zone cut at " + d.cut() + ": a referral to its name servers");
      return;
    }
    if (r instanceof LookupResult.NxDomain n) {
      out.put("zone", n.zone().origin().toString());
      out.put("outcome", "NXDOMAIN");
      lines.add(n.name() + " does not exist in zone " + n.zone().origin() + ": NXDOMAIN");
      return;
    }
    String owner;
    Zone zone;
    if (r instanceof LookupResult.Wildcard w) {
      owner = w.owner() + " (from " + w.source() + ")";
      zone = w.zone();
    } else if (r instanceof LookupResult.Exact e) {
      owner = e.owner().toString();
      zone = e.zone();
    } else if (r instanceof LookupResult.NoData n) {
      owner = n.owner() + " (NODATA)";
      zone = n.zone();
    } else { // a pool name whose pool explains nothing
      LookupResult.PoolName p = (LookupResult.PoolName) r;
      owner = p.owner().toString();
      zone = p.zone();
    }
    out.put("zone", zone.origin().toString());
    out.put("outcome", "zone");
    lines.add(owner + " is not a pool name: zone " + zone.origin() + " answers it from its file");
  }

  private void explainPool(PoolRuntime runtime, int qtype, ClientSubnet client,
      Map<String, Object> out, List<String> lines) {
    describe(runtime, runtime.explain(qtype, client), client, out, lines, "");
  }

  /**
   * One pool's part of the explanation; when the answer comes from a pool member, that pool's
   * own explanation follows nested under "via", its lines indented.
   */
  private void describe(PoolRuntime runtime, PoolExplanation e, ClientSubnet client,
      Map<String, Object> out, List<String> lines, String indent) {
    out.put("pool", runtime.id());
    out.put("policy", runtime.config().policy().name());
    out.put("outcome", e.outcome());
    out.put("rule", e.rule());
    out.put("deterministic", e.deterministic());
    out.put("failed_open", e.failedOpen());
    out.put("answer", e.answer());
    out.put("ecs_scope", client.fromEcs() ? e.ecsScope() : null);
    out.put("ttl", e.ttl());
    out.put("ttl_reason", e.ttlReason());
    lines.add(indent + "pool " + runtime.id() + " (" + runtime.config().file() + ":" + runtime.config().line()
        + "), policy " + runtime.config().policy().name()
        + (e.rule().isEmpty() ? "" : ": " + e.rule()));
    List<Map<String, Object>> members = new ArrayList<>();
    for (PoolExplanation.Member m : e.members()) {
      MemberConfig config = runtime.config().members().get(m.index());
      Optional<TargetStatus> s = prober.status(config.key());
      String why = m.why();
      if (why.startsWith("down") && s.isPresent() && s.get().lastChange() != null) {
        why = "down since " + s.get().lastChange() + " (" + s.get().lastReason() + ")"
            + why.substring(4);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("address", m.address());
      row.put("health", m.health());
      row.put("admin", m.admin());
      row.put("weight", m.weight());
      row.put("priority", m.priority());
      row.put("effective_weight", round(m.effectiveWeight()));
      row.put("ramp", round(m.ramp()));
      row.put("load_factor", round(m.loadFactor()));
      row.put("in", m.in());
      row.put("probability", round(m.probability()));
      row.put("ttl", m.ttl());
      row.put("why", why);
      row.put("last_change", s.map(TargetStatus::lastChange).map(Object::toString).orElse(null));
      row.put("last_reason", s.map(TargetStatus::lastReason).orElse(null));
      members.add(row);
      lines.add(indent + String.format(Locale.ROOT, "  %-3s %-16s %-7s admin %-5s weight %d -> %s  %s",
          m.in() ? "IN" : "out", m.address(), m.health(), m.admin(), m.weight(),
          trim(m.effectiveWeight()), why));
    }
    out.put("members", members);
    if (e.via() != null) {
      for (MemberConfig m : runtime.config().members()) {
        if (m.isPool() && m.pool().equals(e.viaPool())) {
          Map<String, Object> nested = new LinkedHashMap<>();
          lines.add(indent + "  the answer comes from pool " + e.viaPool() + ":");
          describe(runtime.child(m.index()), e.via(), client, nested, lines, indent + "    ");
          nested.remove("lines");
          out.put("via", nested);
          break;
        }
      }
    }
    switch (e.outcome()) {
      case "answer" -> {
        if (e.failedOpen()) {
          lines.add(indent + "every eligible member is down: the pool fails open and answers as if all were up");
        }
        lines.add(indent + (e.deterministic() ? "next answer: " : "answer drawn by weight, most likely first: ")
            + String.join(" ", e.answer()));
        lines.add(indent + "TTL " + e.ttl() + " s: " + e.ttlReason());
        lines.add(indent + (client.fromEcs() ? "ECS scope /" + e.ecsScope()
            + (e.ecsScope() == 0 ? " (the answer is the same for every subnet)" : " (" + runtime.config().policy().ecsScopeMeaning() + ")")
            : "no ECS in the question: none echoed"));
      }
      case "NODATA" -> lines.add(indent + "NODATA: " + e.ttlReason());
      default -> lines.add(indent + "SERVFAIL: " + e.ttlReason());
    }
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static Name parseName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is required, e.g. name=www.lb.example.com.");
    }
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("name: " + e.getMessage());
    }
  }

  /** The client as the DNS path would see it: the ECS prefix when given, else the address. */
  static ClientSubnet subnet(String client, String ecs) {
    if (ecs != null && !ecs.isEmpty()) {
      int slash = ecs.indexOf('/');
      InetAddress a = literal(slash < 0 ? ecs : ecs.substring(0, slash), "ecs");
      int max = a.getAddress().length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? max : Integer.parseInt(ecs.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ecs: prefix is not a number: " + ecs);
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("ecs: prefix must be 0-" + max + ": " + ecs);
      }
      return new ClientSubnet(max == 32 ? 1 : 2, a.getAddress(), prefix, true);
    }
    InetAddress a = literal(client == null || client.isEmpty() ? "127.0.0.1" : client, "client");
    byte[] bytes = a.getAddress();
    return new ClientSubnet(bytes.length == 4 ? 1 : 2, bytes, bytes.length * 8, false);
  }

  private static InetAddress literal(String text, String what) {
    if (!text.matches("[0-9.]+") && !text.contains(":")) {
      throw new IllegalArgumentException(what + ": not an IP address: " + text);
    }
    try {
      return InetAddress.getByName(text); // a literal: never looked up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + ": not an IP address: " + text);
    }
  }
}
