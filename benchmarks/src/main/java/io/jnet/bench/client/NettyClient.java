package io.jnet.bench.client;

import io.jnet.bench.Addr;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.1 as the client peer (TCP, NIO or epoll, one event loop): {@code pingpong} and
 * {@code stream} against the fixed fast echo server, same sizes and limits as {@link JnetClient}.
 */
public final class NettyClient {
    private NettyClient() {
    }

    /** {@code NettyClient nio|epoll tcp:HOST:PORT pingpong,stream} */
    public static void main(String[] args) throws Exception {
        boolean epoll = args[0].equals("epoll");
        Addr addr = Addr.parse(args[1]);
        double seconds = Double.parseDouble(System.getProperty("seconds", "5"));
        long limit = (long) (seconds * 1e9);
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        try {
            for (String w : args[2].split(",")) {
                try {
                    if (w.equals("pingpong")) {
                        pingpong(group, epoll, addr, Integer.getInteger("pp.warmup", 20_000), Integer.getInteger("pp.count", 100_000), limit);
                    } else if (w.equals("stream")) {
                        long bytes = Long.getLong("stream.bytes", 1L << 30);
                        stream(group, epoll, addr, Math.min(bytes / 8, 128L << 20), limit / 4);
                        long t0 = System.nanoTime();
                        long got = stream(group, epoll, addr, bytes, limit);
                        double secs = (System.nanoTime() - t0) / 1e9;
                        print("stream", "MB_per_s", got / secs / 1e6);
                        print("stream", "MiB_echoed", got / 1048576.0);
                    } else {
                        throw new IllegalArgumentException("unknown client workload " + w);
                    }
                } catch (Exception e) {
                    System.err.println(w + " failed: " + e);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static Channel connect(EventLoopGroup group, boolean epoll, Addr addr, ChannelInboundHandlerAdapter handler)
            throws InterruptedException {
        return new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(handler)
                .connect(addr.address()).sync().channel();
    }

    private static void pingpong(EventLoopGroup group, boolean epoll, Addr addr, int warmup, int count, long limitNanos)
            throws Exception {
        long[] samples = new long[count];
        CompletableFuture<Integer> done = new CompletableFuture<>();
        long start = System.nanoTime();
        ChannelInboundHandlerAdapter h = new ChannelInboundHandlerAdapter() {
            private long rounds;
            private int pending;
            private long sentAt;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                send(ctx, System.nanoTime());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                pending += b.readableBytes();
                b.release();
                if (pending < 64) {
                    return;
                }
                pending -= 64;
                long now = System.nanoTime();
                long i = rounds++;
                if (i >= warmup) {
                    samples[(int) (i - warmup)] = now - sentAt;
                }
                if (i + 1 >= warmup + (long) count || now - start > limitNanos) {
                    done.complete((int) Math.max(0, i + 1 - warmup));
                    ctx.close();
                    return;
                }
                send(ctx, now);
            }

            private void send(ChannelHandlerContext ctx, long now) {
                sentAt = now;
                ctx.writeAndFlush(ctx.alloc().directBuffer(64).writeZero(64));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                done.completeExceptionally(cause);
                ctx.close();
            }
        };
        connect(group, epoll, addr, h);
        int n = done.get(limitNanos / 1_000_000 + 10_000, TimeUnit.MILLISECONDS);
        long[] m = Arrays.copyOf(samples, n);
        Arrays.sort(m);
        long sum = 0;
        for (long v : m) {
            sum += v;
        }
        print("pingpong", "median_us", m[n / 2] / 1000.0);
        print("pingpong", "p99_us", m[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1000.0);
        print("pingpong", "rt_per_s", n / (sum / 1e9));
    }

    private static long stream(EventLoopGroup group, boolean epoll, Addr addr, long bytes, long limitNanos) throws Exception {
        ByteBuf payload = Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024);
        CompletableFuture<Long> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + limitNanos;
        ChannelInboundHandlerAdapter h = new ChannelInboundHandlerAdapter() {
            private long sent;
            private long got;
            private boolean ended;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                pump(ctx);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                pump(ctx);
            }

            private void pump(ChannelHandlerContext ctx) {
                while (!ended && ctx.channel().isWritable()) {
                    if (sent >= bytes || System.nanoTime() >= deadline) {
                        ended = true;
                        ctx.flush();
                        ((DuplexChannel) ctx.channel()).shutdownOutput();
                        return;
                    }
                    int n = (int) Math.min(payload.readableBytes(), bytes - sent);
                    sent += n;
                    ctx.write(payload.retainedSlice(0, n));
                }
                ctx.flush();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                got += b.readableBytes();
                b.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    done.complete(got);
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                done.complete(got);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                done.completeExceptionally(cause);
                ctx.close();
            }
        };
        connect(group, epoll, addr, h);
        try {
            return done.get(limitNanos / 1_000_000 + 10_000, TimeUnit.MILLISECONDS);
        } finally {
            payload.release();
        }
    }

    private static void print(String workload, String metric, double value) {
        System.out.println(workload + "\t" + metric + "\t" + String.format(Locale.ROOT, "%.2f", value));
    }
}
