export { Badge, StateBadge, type BadgeTone } from './badge';
export { Dialog, ConfirmDialog } from './dialog';
export { ErrorMessage } from './error-message';
export { Field, FieldSet } from './field';
export { Loading, Notice, PageHeader, Pagination, CopyButton, ProgressBar } from './misc';
export { MultiCheck } from './multi-check';
