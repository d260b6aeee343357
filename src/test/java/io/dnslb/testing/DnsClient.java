package io.dnslb.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A raw-socket DNS client for tests: sends exactly the bytes we build, returns what came back. */
public final class DnsClient {
  private final InetSocketAddress server;
  /** The client's own address, 0.0.0.0 for the system's choice. */
  private final InetSocketAddress local;

  public DnsClient(InetSocketAddress server) {
    this(server, new InetSocketAddress(0));
  }

  private DnsClient(InetSocketAddress server, InetSocketAddress local) {
    this.server = server;
    this.local = local;
  }

  /** This client asking from another source address, e.g. 127.0.0.2: another client. */
  public DnsClient from(InetAddress source) {
    return new DnsClient(server, new InetSocketAddress(source, 0));
  }

  public InetSocketAddress serverAddress() {
    return server;
  }

  /** A UDP socket bound to this client's source address. */
  public DatagramSocket udpSocket() throws IOException {
    return new DatagramSocket(local);
  }

  /** A TCP connection from this client's source address. */
  public Socket connect() throws IOException {
    Socket s = new Socket();
    s.bind(local);
    s.connect(server, 2000);
    return s;
  }

  public static Message query(String name, int type) {
    return query(name, type, DClass.IN);
  }

  public static Message query(String name, int type, int dclass) {
    Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
    m.getHeader().unsetFlag(Flags.RD);
    return m;
  }

  /** The query with an EDNS(0) OPT record advertising this payload size. */
  public static Message edns(Message m, int payload, int flags, EDNSOption... options) {
    m.addRecord(new OPTRecord(payload, 0, 0, flags, Arrays.asList(options)), Section.ADDITIONAL);
    return m;
  }

  public Message udp(Message query) throws IOException {
    byte[] r = udpRaw(query.toWire());
    if (r == null) {
      throw new SocketTimeoutException("no UDP answer");
    }
    return new Message(r);
  }

  public Message udp(String name, int type) throws IOException {
    return udp(query(name, type));
  }

  /** Sends raw bytes over UDP and does not wait for a reply (for floods of junk). */
  public void udpSend(byte[] packet) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(new DatagramPacket(packet, packet.length, server));
    }
  }

  /** Sends raw bytes over UDP; returns the reply or null when none came within a second. */
  public byte[] udpRaw(byte[] packet) throws IOException {
    try (DatagramSocket s = udpSocket()) {
      s.setSoTimeout(1000);
      s.send(new DatagramPacket(packet, packet.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        s.receive(in);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(buf, in.getLength());
    }
  }

  public Message tcp(Message query) throws IOException {
    try (Socket s = connect()) {
      // A TCP answer always comes; the bound only stops a hung test. Generous, because a loaded
      // 2-core CI machine has been seen to take over 2 s for a first answer.
      s.setSoTimeout(10_000);
      writeFrame(s, query.toWire());
      return new Message(readFrame(s));
    }
  }

  public Message tcp(String name, int type) throws IOException {
    return tcp(query(name, type));
  }

  public static void writeFrame(Socket s, byte[] msg) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeShort(msg.length);
    out.write(msg);
    out.flush();
  }

  public static byte[] readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int len = in.readUnsignedShort();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
