package io.dmm.core.selector;

import java.nio.channels.SelectableChannel;
import java.util.List;

/**
 * A JDK channel registered with a {@link DmmSelector} as it is (a {@code Pipe}'s source or sink, a
 * UNIX-domain channel, an inherited channel DMM left as the JDK's): it carries itself, so its key
 * has one inner key, on the channel itself. The inner JDK selector decides whether the channel can
 * be selected, so DMM's selector accepts exactly the channels the JDK's accepts.
 */
record PlatformChannel(SelectableChannel channel, ChannelKeys channelKeys) implements DelegatingChannel {
    PlatformChannel(SelectableChannel channel) {
        this(channel, new ChannelKeys());
    }

    @Override
    public List<SelectableChannel> selectableDelegates() {
        return List.of(channel);
    }
}
