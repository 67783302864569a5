CREATE TABLE `one_time_tokens` (
	`digest` char(64) NOT NULL,
	`purpose` varchar(32) NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`email` varchar(254) NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`used_at` datetime(3),
	CONSTRAINT `one_time_tokens_digest` PRIMARY KEY(`digest`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at` datetime(3);--> statement-breakpoint
ALTER TABLE `users` ADD `pending_email` varchar(254);--> statement-breakpoint
CREATE INDEX `one_time_tokens_user_purpose_idx` ON `one_time_tokens` (`user_id`,`purpose`);