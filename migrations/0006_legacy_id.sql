ALTER TABLE `users` ADD `legacy_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `users` ADD `legacy_snapshot` text;--> statement-breakpoint
ALTER TABLE `users` ADD CONSTRAINT `users_legacy_id_unique` UNIQUE(`legacy_id`);