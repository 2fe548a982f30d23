package io.jnet.bench.server;

import io.jnet.bench.Addr;
import io.jnet.bench.Lifetime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;

/**
 * Netty 4.1 under test, NIO or native epoll, one event loop: write each read buffer back, flush at
 * the end of a read burst, stop reading while the channel is not writable, close once the peer has
 * finished and everything is flushed.
 */
public final class NettyEcho {
    private NettyEcho() {
    }

    /** {@code NettyEcho nio|epoll tcp:127.0.0.1:0|unix:PATH}; {@code -Dnetty.threads=N} (1) event loops */
    public static void main(String[] args) throws InterruptedException {
        boolean epoll = args[0].equals("epoll");
        Addr addr = Addr.parse(args[1]);
        // -Dnetty.threads=N: N event loops (fan-in over several cores); accept runs on one of them.
        int threads = Integer.getInteger("netty.threads", 1);
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        Class<? extends ServerChannel> type;
        SocketAddress bindTo = addr.address();
        if (addr.isUnix()) {
            if (!epoll) {
                throw new IllegalArgumentException("Netty 4.1 NIO has no Unix domain sockets; use epoll");
            }
            type = EpollServerDomainSocketChannel.class;
            bindTo = new DomainSocketAddress(addr.path().toFile());
        } else {
            type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new Echo());
        if (!addr.isUnix()) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel server = b.bind(bindTo).sync().channel();
        SocketAddress bound = server.localAddress();
        Lifetime.listening(bound instanceof DomainSocketAddress d ? "unix:" + d.path() : Addr.describe(bound));
        Lifetime.park();
    }

    /** The echo handler, shared by every connection. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
