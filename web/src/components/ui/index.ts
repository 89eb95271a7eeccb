export { Badge, StateBadge, type BadgeTone } from './badge';
export { DataTable } from './data-table';
export { Dialog, ConfirmDialog } from './dialog';
export { ErrorMessage } from './error-message';
export { Field, FieldSet } from './field';
export { ForbiddenPage } from './forbidden-page';
export { FormActions } from './form-actions';
export { Loading, Notice, PageHeader, Pagination, CopyButton, ProgressBar } from './misc';
export { MultiCheck } from './multi-check';
