ALTER TABLE `users` ADD `role_confirmed_at` datetime(3);--> statement-breakpoint
ALTER TABLE `users` ADD `role_confirmed_by` bigint unsigned;