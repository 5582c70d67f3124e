/**
 * What other features use of the comment threads (the report editor's anchored-comment rail, the
 * proposal frame, the call's proposals table, the app shell).
 */
export { CommentComposer } from './CommentComposer';
export { CommentItem, CommentTime } from './CommentItem';
export { CommentThreadView, type CommentReader } from './CommentThreadView';
export { MentionInput } from './MentionInput';
export { MentionNotices } from './MentionNotices';
export { UnreadBadge } from './UnreadBadge';
export { useLiveSubscription, type LiveKind, type LivePayload } from './liveSubscription';
export { useLiveComments, useMentionable } from './useLiveComments';
export { groupThreads, mentionsIn, type CommentThread, type Mentionable } from './threads';
