import { defineStore } from 'pinia';
import { watch } from 'vue';
import { storage } from '../storage.js';
import { createFollowAlong } from '../logic/follow-along.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

/** New posts from others: shown in place, or held behind a pill so the page never jumps. */
export const useFollowStore = defineStore('follow', () => {
  const room = useRoomStore();
  const session = useSessionStore();
  const follow = createFollowAlong({
    parentOf: (id) => room.state?.posts[id]?.parentId,
    isMine: (authorId) => authorId === session.me?.id,
  });
  follow.followLive.value = storage.followLive();
  watch(follow.followLive, (on) => storage.setFollowLive(on));

  room.onApplied((events) => {
    for (const event of events) {
      // An approved post enters the thread at approval; either way the post is in the state by now.
      if (event.type !== 'post.created' && event.type !== 'post.approved') continue;
      const post = room.state?.posts[event.postId];
      if (post) follow.arrive({ id: post.id, parentId: post.parentId, authorId: post.authorId });
    }
  });
  watch(() => room.roomId, () => follow.reset());

  return follow;
});
