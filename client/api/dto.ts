/**
 * Response shapes of the REST API, from shared/dto (which server/presenters return). Kept as the
 * client's import point so features need not know where the types live.
 */
export * from '../../shared/dto';
